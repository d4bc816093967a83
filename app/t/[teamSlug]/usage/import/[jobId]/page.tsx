// One import (admins and owners): before it starts, the first rows as read and the mapping of names; then its progress; at the end its report.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ImportProgressBar } from "@/components/imports/import-progress";
import { StartImportForm } from "@/components/imports/start-form";
import { Badge } from "@/components/ui/badge";
import { ButtonLink, buttonClasses } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeamRole } from "@/lib/authz/page";
import { appNow } from "@/lib/clock";
import { formatDateTime, formatNumber } from "@/lib/format";
import { getImportJob, layoutLabel, mappingChoices, missingCells, presentRows, previewRows, problemRows, progressOf } from "@/lib/imports/queries";
import { LAYOUTS, reportTitle, type Field, type Outcome, type Stage } from "@/lib/imports/rules";
import { OUTCOME_LABELS, STAGE_LABELS } from "@/lib/ledger/schema";
import { listProjects } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Import usage" };

type Props = { params: Promise<{ teamSlug: string; jobId: string }> };

export default async function ImportJobPage({ params }: Props) {
  const { teamSlug, jobId } = await params;
  const { team } = await requireTeamRole(teamSlug, "admin");
  const job = await getImportJob(team.id, jobId);
  if (!job) notFound();
  const base = `/t/${team.slug}/usage/import`;
  const now = appNow();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={`Import of ${job.fileName}`}
        description={`${layoutLabel(job.layout)[0].toUpperCase()}${layoutLabel(job.layout).slice(1)} · ${formatNumber(job.totalRows)} rows · uploaded ${formatDateTime(job.createdAt, team.timeZone)} by ${job.startedBy.name}`}
        actions={<ButtonLink href={base} variant="secondary">All imports</ButtonLink>}
      />
      {job.status === "uploading" ? (
        <Card title="Still uploading" data-testid="import-uploading">
          <p className="text-sm text-zinc-700">
            This file is still being read. Its preview shows here once every row is in; an upload that was cut off is removed within the hour.
          </p>
        </Card>
      ) : job.status === "draft" ? (
        <Draft team={team} job={job} now={now} />
      ) : (
        <Started teamSlug={team.slug} job={job} now={now} />
      )}
    </div>
  );
}

type Job = NonNullable<Awaited<ReturnType<typeof getImportJob>>>;

async function Draft({ team, job, now }: { team: { id: string; slug: string; timeZone: string }; job: Job; now: Date }) {
  const [rows, choices, projects, missing, present] = await Promise.all([
    previewRows(team.id, job.id, team.timeZone, now),
    mappingChoices(team.id),
    listProjects(team.id),
    missingCells(job.id),
    presentRows(team.id, job.id),
  ]);
  const columns = LAYOUTS[job.layout].columns as Partial<Record<Field, string>>;
  const fields = Object.keys(columns) as Field[];
  const found = job.choices.found ?? { people: [], models: [], more: false };
  const unreadable = job.choices.unreadable ?? 0;
  const catalogName = new Map(choices.models.map((model) => [model.id, model.name]));
  const rowsWord = (count: number) => `${formatNumber(count)} ${count === 1 ? "row" : "rows"}`;
  return (
    <>
      <Card
        title="Preview"
        description={`The first ${rows.length} of ${formatNumber(job.totalRows)} rows as the import reads them, and what each will become.${unreadable > 0 ? ` ${rowsWord(unreadable)} of the file cannot be read as they are; they will be refused with their reason.` : ""}`}
      >
        {present > 0 && (
          <p className="mb-3 text-sm text-zinc-700" data-testid="import-present-count">
            {present === job.totalRows
              ? `All ${rowsWord(present)} of this file are already present in this team: importing it again records nothing.`
              : `${rowsWord(present)} of this file ${present === 1 ? "is" : "are"} already present in this team; ${present === 1 ? "it" : "they"} will be skipped.`}
          </p>
        )}
        <Table caption="The first rows of the file" data-testid="import-preview">
          <THead>
            <TR>
              <TH numeric>Line</TH>
              {fields.map((field) => (
                <TH key={field}>{columns[field]}</TH>
              ))}
              <TH>Will become</TH>
              <TH>Problem</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((row) => (
              <TR key={row.line} data-testid="import-preview-row" className="align-top">
                <TD numeric>{row.line}</TD>
                {fields.map((field) => (
                  // Words wrap whole (never mid-word); a date stays on one line.
                  <TD key={field} className={field === "date" ? "whitespace-nowrap" : "min-w-28 max-w-64 break-words"}>
                    {row.values[field] ?? ""}
                  </TD>
                ))}
                <TD className="min-w-48 max-w-72 break-words" data-testid="import-preview-becomes">
                  {row.becomes ? (
                    <ul className="text-sm">
                      <li>{row.becomes.member === "skip" ? "Skipped (you skipped this person before)" : (row.becomes.member ?? "Nobody yet")}</li>
                      <li>
                        {row.becomes.model === "skip" ? "Skipped (you skipped this model before)" : (row.becomes.model ?? "No model yet")}
                        {row.becomes.quantity > 1 ? ` × ${formatNumber(row.becomes.quantity)}` : ""} · {formatNumber(row.becomes.credits)} credits
                      </li>
                      <li>{row.becomes.project ?? "The project you choose below"}</li>
                      <li className="text-zinc-600">
                        {row.becomes.stage ? STAGE_LABELS[row.becomes.stage as Stage] : "Stage you choose"} ·{" "}
                        {row.becomes.outcome ? OUTCOME_LABELS[row.becomes.outcome as Outcome] : "outcome you choose"}
                      </li>
                    </ul>
                  ) : (
                    <span className="text-zinc-500">—</span>
                  )}
                </TD>
                <TD className="min-w-48 max-w-80 break-words">
                  {row.error ? (
                    <span className="text-red-700">Will be refused: {row.error}</span>
                  ) : row.skip ? (
                    <span className="text-zinc-600">Skipped: {row.skip}</span>
                  ) : row.present ? (
                    <span className="text-zinc-600">Already present: skipped.</span>
                  ) : row.problems.length > 0 ? (
                    <ul className="text-red-700">
                      {row.problems.map((problem) => (
                        <li key={problem}>{problem}</li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-zinc-500">—</span>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
      <Card
        title="Before importing"
        description={`Names the team does not know yet are refused unless you map them; what you map is remembered for the next import.${found.more ? " The file names more than 500 people or models; only the most frequent are listed." : ""}`}
      >
        <StartImportForm
          teamSlug={team.slug}
          jobId={job.id}
          layout={job.layout}
          projects={projects.map((project) => ({ id: project.id, name: project.name }))}
          members={choices.members}
          models={choices.models}
          people={found.people}
          modelNames={found.models.map((model) => ({ ...model, label: (model.modelId && catalogName.get(model.modelId)) || model.name }))}
          missing={missing}
        />
      </Card>
    </>
  );
}

const RESULT = { imported: "Imported", present: "Already present", skipped: "Skipped", refused: "Refused", pending: "Waiting" } as const;

async function Started({ teamSlug, job, now }: { teamSlug: string; job: Job; now: Date }) {
  const progress = progressOf(job, now);
  const problems = job.status === "done" ? await problemRows(job.id) : [];
  return (
    <>
      <Card title={job.status === "done" ? reportTitle(job) : "Importing"} data-testid="import-progress-card">
        <ImportProgressBar teamSlug={teamSlug} jobId={job.id} initial={progress} />
      </Card>
      {job.status === "done" && (
        <Card
          title="Report"
          actions={
            // A plain link: the report is a file from a route handler, not a page to navigate to.
            <a href={`/t/${teamSlug}/usage/import/${job.id}/report`} className={buttonClasses({ variant: "secondary", size: "sm" })} download data-testid="import-report-csv">
              Download the report (CSV)
            </a>
          }
        >
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="import-report">
            {(
              [
                ["imported", "Imported", job.imported],
                ["present", "Skipped as already present", job.present],
                ["skipped", "Skipped (not usage, or by your choice)", job.skipped],
                ["refused", "Refused", job.refused],
              ] as const
            ).map(([key, label, value]) => (
              <div key={key} data-testid={`import-${key}`}>
                <dt className="text-sm text-zinc-600">{label}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{formatNumber(value)}</dd>
              </div>
            ))}
          </dl>
          {problems.length === 0 ? (
            <EmptyState title="Nothing refused or skipped" />
          ) : (
            <Table caption="Rows refused or skipped, with the reason" captionVisible className="mt-4" data-testid="import-problems">
              <THead>
                <TR>
                  <TH numeric>Line</TH>
                  <TH>Result</TH>
                  <TH>Reason</TH>
                </TR>
              </THead>
              <TBody>
                {problems.map((row) => (
                  <TR key={row.line}>
                    <TD numeric>{row.line}</TD>
                    <TD>
                      <Badge tone={row.status === "refused" ? "red" : "neutral"}>{RESULT[row.status]}</Badge>
                    </TD>
                    <TD wrap>{row.reason}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
          {job.refused + job.skipped > problems.length && (
            <p className="mt-2 text-sm text-zinc-600">
              The first {problems.length} are listed;{" "}
              <a href={`/t/${teamSlug}/usage/import/${job.id}/report`} download>
                the report
              </a>{" "}
              has every row.
            </p>
          )}
        </Card>
      )}
    </>
  );
}
