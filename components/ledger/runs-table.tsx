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
};

type Props = {
  caption: string;
  runs: RunRow[];
  teamSlug: string;
  timeZone: string;
  /** Add a project column (team-wide lists). */
  showProject?: boolean;
};

export function RunsTable({ caption, runs, teamSlug, timeZone, showProject = false }: Props) {
  return (
    <Table caption={caption}>
      <THead>
        <TR>
          <TH>When</TH>
          {showProject && <TH>Project</TH>}
          <TH>Run</TH>
          <TH>Who</TH>
          <TH>Stage</TH>
          <TH numeric>Estimate</TH>
          <TH numeric>Charged</TH>
          <TH>State</TH>
        </TR>
      </THead>
      <TBody>
        {runs.map((run) => (
          <TR key={run.id} data-testid="run-row" data-state={run.state}>
            <TD className="whitespace-nowrap">{formatDateTime(run.createdAt, timeZone)}</TD>
            {showProject && (
              <TD className="min-w-32">
                <Link href={`/t/${teamSlug}/projects/${run.projectId}`}>{run.project.name}</Link>
              </TD>
            )}
            <TD className="min-w-48">
              <span className="font-medium">
                {formatNumber(run.quantity)} × {run.modelName}
              </span>
              <span className="block text-xs text-zinc-600">{run.breakdown}</span>
            </TD>
            <TD className="whitespace-nowrap">{run.user.name}</TD>
            <TD title={STAGE_LABELS[run.stage]}>{STAGE_SHORT[run.stage]}</TD>
            <TD numeric>{formatNumber(run.estimate)}</TD>
            <TD numeric>
              {run.actual === null ? "—" : formatNumber(run.actual - run.refunded)}
              {run.refunded > 0 && <span className="block text-xs text-zinc-600">{formatNumber(run.refunded)} refunded</span>}
            </TD>
            <TD>
              <span className="flex flex-wrap gap-1">
                <Badge tone={RUN_STATE_TONES[run.state]}>{RUN_STATE_LABELS[run.state]}</Badge>
                {run.outcome && <Badge tone={OUTCOME_TONES[run.outcome]}>{OUTCOME_LABELS[run.outcome]}</Badge>}
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
