// Every version of the team's price list: when it starts, who saved it, and what changed; the one in force and scheduled ones marked.
import { Badge } from "@/components/ui/badge";
import { TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import type { PriceListHistoryItem } from "@/lib/price-lists/queries";

type Props = {
  versions: readonly PriceListHistoryItem[];
  inForceVersion: number;
  now: Date;
  timeZone: string;
  exportHref: (version: number) => string;
};

// Long imports change many lines; the first few say enough until someone asks for the rest.
const VISIBLE_CHANGES = 6;

export function VersionHistory({ versions, inForceVersion, now, timeZone, exportHref }: Props) {
  return (
    <Table caption="Price list versions" data-testid="version-history" wrapperClassName="relative">
      <THead>
        <TR>
          <TH>Version</TH>
          <TH>Applies from</TH>
          <TH>Changed by</TH>
          <TH>What changed</TH>
          <TH>
            <span className="sr-only">File</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {versions.map((item) => {
          const scheduled = item.effectiveFrom > now;
          return (
            <TR key={item.id} data-testid="version-row" data-version={item.version} className="align-top">
              <TD className="whitespace-nowrap">
                <span className="font-medium">v{item.version}</span>{" "}
                {item.version === inForceVersion && <Badge tone="green">In force</Badge>}
                {scheduled && <Badge tone="blue">Scheduled</Badge>}
              </TD>
              <TD className="whitespace-nowrap">{formatDateTime(item.effectiveFrom, timeZone)}</TD>
              <TD wrap className="min-w-32" data-testid="version-author">
                {item.createdBy?.name ?? "A former member"}
                <span className="block text-xs whitespace-nowrap text-zinc-600">saved {formatDateTime(item.createdAt, timeZone)}</span>
              </TD>
              <TD wrap className="min-w-72">
                <ChangeList changes={item.changes} />
                {item.note && <p className="mt-1 text-xs text-zinc-600 italic">“{item.note}”</p>}
              </TD>
              <TD>
                <a href={exportHref(item.version)} className="text-sm whitespace-nowrap">
                  JSON<span className="sr-only"> of version {item.version}</span>
                </a>
              </TD>
            </TR>
          );
        })}
        <TR data-testid="version-row" data-version={0} className="align-top">
          <TD className="whitespace-nowrap">
            <span className="font-medium">v0</span> {inForceVersion === 0 && <Badge tone="green">In force</Badge>}
          </TD>
          <TD>From the start</TD>
          <TD>—</TD>
          <TD className="text-zinc-700">The default price list every team starts with.</TD>
          <TD>
            <a href={exportHref(0)} className="text-sm whitespace-nowrap">
              JSON<span className="sr-only"> of version 0</span>
            </a>
          </TD>
        </TR>
      </TBody>
    </Table>
  );
}

function ChangeList({ changes }: { changes: readonly string[] }) {
  if (changes.length === 0) return <span className="text-zinc-600">—</span>;
  const shown = changes.slice(0, VISIBLE_CHANGES);
  const rest = changes.slice(VISIBLE_CHANGES);
  return (
    <>
      <ul className="list-disc space-y-0.5 pl-4 text-sm text-zinc-800" data-testid="version-changes">
        {shown.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ul>
      {rest.length > 0 && (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-zinc-700">
            {rest.length} more {rest.length === 1 ? "change" : "changes"}
          </summary>
          <ul className="list-disc space-y-0.5 pl-4 text-zinc-800">
            {rest.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
