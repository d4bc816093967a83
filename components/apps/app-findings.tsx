// What the recommendations engine finds in an app's steps, with its figures: read-only — the author follows a finding
// by changing the steps in the editor.
import { Badge } from "@/components/ui/badge";
import { formatCredits } from "@/lib/format";
import type { Finding } from "@/lib/recommendations/types";

const KIND_LABELS = { saving: "Saving", quality: "Quality warning", advice: "Advice" } as const;
const KIND_TONES = { saving: "green", quality: "amber", advice: "blue" } as const;

export function AppFindings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) {
    return (
      <p className="text-sm text-zinc-700" data-testid="app-no-findings">
        Nothing to improve: the steps fit what the app is for.
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-3" data-testid="app-findings">
      {findings.map((finding) => (
        <li key={finding.key} className="rounded-md border border-zinc-200 p-3" data-testid="app-finding" data-rule={finding.rule} data-kind={finding.kind}>
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">
            <Badge tone={KIND_TONES[finding.kind]}>{KIND_LABELS[finding.kind]}</Badge>
            <span>{finding.title}</span>
          </p>
          {finding.changeText && <p className="mt-1 text-sm text-zinc-800">{finding.changeText}</p>}
          <p className="mt-1 text-sm text-zinc-700">{finding.explanation}</p>
          {finding.change && (
            <p className="mt-1 text-sm tabular-nums text-zinc-700">
              {formatCredits(finding.before)} → {formatCredits(finding.after)} a run
              {finding.saved > 0 ? ` (saves ${formatCredits(finding.saved)})` : finding.saved < 0 ? ` (${formatCredits(-finding.saved)} more)` : ""}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
