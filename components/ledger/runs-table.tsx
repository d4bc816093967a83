// Runs as a table: what was generated, by whom, the credits held or charged, and where it stands.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { formatDateTime, formatNumber } from "@/lib/format";
import { OUTCOME_LABELS, STAGE_LABELS } from "@/lib/ledger/schema";
import { OUTCOME_TONES, RUN_STATE_LABELS, RUN_STATE_TONES, STAGE_SHORT } from "./labels";

export type RunRow = {
  id: string;
  projectId: string;
  userId: string;
  modelName: string;
  quantity: number;
  stage: keyof typeof STAGE_LABELS;
  estimate: number;
  actual: number | null;
  refunded: number;
  state: keyof typeof RUN_STATE_LABELS;
  outcome: keyof typeof OUTCOME_LABELS | null;
  overrun: boolean;
  overBudget: boolean;
  breakdown: string;
  createdAt: Date;
  user: { name: string };
  project: { name: string };
  /** The approval this run is the hold of, if any. */
  approvalRequest?: { id: string; state: string } | null;
};

type Props = {
  caption: string;
  runs: RunRow[];
  teamSlug: string;
  timeZone: string;
  /** Add a project column (team-wide lists). */
  showProject?: boolean;
};

// On a phone only the run, its credits and its state keep a column; when, who, stage and project go under the run.
const WIDE_ONLY = "max-sm:hidden";
const PHONE_ONLY = "sm:hidden";

export function RunsTable({ caption, runs, teamSlug, timeZone, showProject = false }: Props) {
  return (
    <Table caption={caption}>
      <THead>
        <TR>
          <TH className={WIDE_ONLY}>When</TH>
          {showProject && <TH className={WIDE_ONLY}>Project</TH>}
          <TH>Run</TH>
          <TH className={WIDE_ONLY}>Who</TH>
          <TH className={WIDE_ONLY}>Stage</TH>
          <TH numeric className={WIDE_ONLY}>
            Estimate
          </TH>
          <TH numeric>
            <span className={WIDE_ONLY}>Charged</span>
            <span className={PHONE_ONLY}>Credits</span>
          </TH>
          <TH>State</TH>
        </TR>
      </THead>
      <TBody>
        {runs.map((run) => (
          <TR key={run.id} data-testid="run-row" data-state={run.state}>
            <TD className={`whitespace-nowrap ${WIDE_ONLY}`}>{formatDateTime(run.createdAt, timeZone)}</TD>
            {showProject && (
              <TD wrap className={`min-w-32 ${WIDE_ONLY}`}>
                <Link href={`/t/${teamSlug}/projects/${run.projectId}`}>{run.project.name}</Link>
              </TD>
            )}
            <TD wrap className="max-sm:px-2 sm:min-w-48" data-testid="run-what">
              <span className="font-medium">
                {formatNumber(run.quantity)} × {run.modelName}
              </span>
              <span className={`block text-xs text-zinc-700 ${PHONE_ONLY}`}>
                {formatDateTime(run.createdAt, timeZone)} · {run.user.name} · <span title={STAGE_LABELS[run.stage]}>{STAGE_SHORT[run.stage]}</span>
                {showProject && (
                  <>
                    {" · "}
                    <Link href={`/t/${teamSlug}/projects/${run.projectId}`}>{run.project.name}</Link>
                  </>
                )}
              </span>
              <span className="block text-xs text-zinc-600">{run.breakdown}</span>
            </TD>
            <TD wrap className={`min-w-28 ${WIDE_ONLY}`}>
              {run.user.name}
            </TD>
            <TD className={WIDE_ONLY} title={STAGE_LABELS[run.stage]}>
              {STAGE_SHORT[run.stage]}
            </TD>
            <TD numeric className={WIDE_ONLY}>
              {formatNumber(run.estimate)}
            </TD>
            <TD numeric className="max-sm:px-2" data-testid="run-credits">
              {run.actual === null ? (
                <>
                  <span className={WIDE_ONLY}>—</span>
                  <span className={PHONE_ONLY}>
                    {formatNumber(run.estimate)}
                    <span className="block text-xs text-zinc-600">estimate</span>
                  </span>
                </>
              ) : (
                formatNumber(run.actual - run.refunded)
              )}
              {run.refunded > 0 && <span className="block text-xs text-zinc-600">{formatNumber(run.refunded)} refunded</span>}
            </TD>
            <TD className="max-sm:px-2" data-testid="run-state">
              <span className="flex flex-wrap gap-1">
                <Badge tone={RUN_STATE_TONES[run.state]}>{RUN_STATE_LABELS[run.state]}</Badge>
                {/* A failed run's state already says so. */}
                {run.outcome && !(run.state === "failed" && run.outcome === "failed") && (
                  <Badge tone={OUTCOME_TONES[run.outcome]}>{OUTCOME_LABELS[run.outcome]}</Badge>
                )}
                {run.overrun && <Badge tone="amber">Cost more than held</Badge>}
                {run.overBudget && <Badge tone="red">Past a limit</Badge>}
              </span>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
