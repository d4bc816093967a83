// The team's price list as everyone reads it: by output type, then tier, with credits, settings and what each model is for.
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { formatNumber } from "@/lib/format";
import { costRanges } from "@/lib/pricing/ranges";
import type { CatalogEntry, PriceList } from "@/lib/pricing/types";
import { rangeText } from "./cost-ranges";
import { EditEntryDialog } from "./edit-entry-dialog";
import { OUTPUT_TYPE_LABELS, groupEntries, settingsSummary, tierLabel } from "./labels";

/** What admins need to edit entries; absent for everyone else, so no edit control is rendered. */
export type CatalogEditing = {
  teamSlug: string;
  /** Entries of the latest saved version, which edits build on. */
  editable: readonly CatalogEntry[];
  baseVersion: number;
  timeZone: string;
  defaultLater: string;
};

export function Catalog({ priceList, editing }: { priceList: PriceList; editing?: CatalogEditing }) {
  const columns = editing ? 5 : 4;
  const ranges = new Map(costRanges(priceList).map((costs) => [costs.outputType, costs]));
  return (
    <div className="flex flex-col gap-4" data-testid="catalog">
      {groupEntries(priceList.entries).map((group) => {
        const costs = ranges.get(group.outputType);
        const count = `${group.entries.length} ${group.entries.length === 1 ? "entry" : "entries"}`;
        return (
          <Card
            key={group.outputType}
            title={OUTPUT_TYPE_LABELS[group.outputType]}
            description={
              costs
                ? `${rangeText(costs.atDefaults)} credits each at default settings, ${rangeText(costs.withSettings)} with every setting · ${count}`
                : `None switched on · ${count}`
            }
            flush
            data-testid={`catalog-${group.outputType}`}
          >
            {/* Positioned, so the sr-only labels inside a sideways-scrolling table cannot widen the page on phones. */}
            <Table caption={`${OUTPUT_TYPE_LABELS[group.outputType]} price list`} wrapperClassName="relative">
              <THead>
                <TR>
                  <TH>Model</TH>
                  <TH numeric>Credits</TH>
                  <TH>Use it for</TH>
                  <TH>Settings and factors</TH>
                  {editing && (
                    <TH>
                      <span className="sr-only">Actions</span>
                    </TH>
                  )}
                </TR>
              </THead>
              {group.tiers.map((tierGroup) => (
                <TBody key={tierGroup.tier ?? "none"}>
                  <TR className="bg-zinc-50/70">
                    <TH scope="colgroup" colSpan={columns} className="py-1.5 text-xs tracking-wide text-zinc-600 uppercase">
                      {tierLabel(tierGroup.tier)}
                    </TH>
                  </TR>
                  {tierGroup.entries.map((entry) => {
                    const editable = editing?.editable.find((candidate) => candidate.id === entry.id);
                    return (
                      <TR key={entry.id} data-testid={`catalog-row-${entry.id}`} className={entry.enabled ? undefined : "text-zinc-500"}>
                        <TD wrap className="min-w-40 font-medium">
                          {entry.name} {!entry.enabled && <Badge tone="red">Disabled</Badge>}
                          {entry.note && <span className="block max-w-56 text-xs font-normal text-zinc-600">{entry.note}</span>}
                        </TD>
                        <TD numeric className="whitespace-nowrap">
                          <span className="font-semibold text-zinc-900" data-testid="catalog-credits">
                            {formatNumber(entry.credits)}
                          </span>
                          <span className="text-zinc-600"> / {entry.unit}</span>
                          {entry.minimumCharge !== undefined && (
                            <span className="block text-xs text-zinc-600">min. {formatNumber(entry.minimumCharge)}</span>
                          )}
                        </TD>
                        <TD wrap className="min-w-48 text-zinc-700">{entry.useFor || "—"}</TD>
                        <TD wrap className="min-w-56 text-xs text-zinc-600">
                          {entry.settings.length === 0 ? "—" : settingsSummary(entry).map((line) => <span key={line} className="block">{line}</span>)}
                        </TD>
                        {editing && (
                          <TD>
                            {editable && (
                              <EditEntryDialog
                                teamSlug={editing.teamSlug}
                                entry={editable}
                                baseVersion={editing.baseVersion}
                                timeZone={editing.timeZone}
                                defaultLater={editing.defaultLater}
                              />
                            )}
                          </TD>
                        )}
                      </TR>
                    );
                  })}
                </TBody>
              ))}
            </Table>
          </Card>
        );
      })}
    </div>
  );
}
