// The <option>s of a model picker, grouped by output type; only models the team may use.
import { formatCredits } from "@/lib/format";
import type { CatalogEntry } from "@/lib/pricing/types";
import { OUTPUT_TYPE_LABELS, groupEntries } from "./labels";

export function ModelOptions({ entries }: { entries: readonly CatalogEntry[] }) {
  return groupEntries(entries.filter((entry) => entry.enabled)).map((group) => (
    <optgroup key={group.outputType} label={OUTPUT_TYPE_LABELS[group.outputType]}>
      {group.tiers.flatMap((tier) =>
        tier.entries.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.name} — {formatCredits(entry.credits)} per {entry.unit}
          </option>
        )),
      )}
    </optgroup>
  ));
}
