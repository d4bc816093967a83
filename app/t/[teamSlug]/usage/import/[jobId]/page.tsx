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
import { getImportJob, layoutLabel, mappingChoices, missingCells, previewRows, problemRows, progressOf } from "@/lib/imports/queries";
import { LAYOUTS, type Field } from "@/lib/imports/rules";
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
  const [rows, choices, projects, missing] = await Promise.all([
    previewRows(team.id, job.id, team.timeZone, now),
    mappingChoices(team.id),
    listProjects(team.id),
    missingCells(job.id),
  ]);
  const columns = LAYOUTS[job.layout].columns as Partial<Record<Field, string>>;
  const fields = Object.keys(columns) as Field[];
  const found = job.choices.found ?? { people: [], models: [], more: false };
  const unreadable = job.choices.unreadable ?? 0;
  return (
    <>
      <Card
        title="Preview"
        description={`The first ${rows.length} of ${formatNumber(job.totalRows)} rows as the import reads them.${unreadable > 0 ? ` ${formatNumber(unreadable)} rows of the file cannot be read as they are; they will be refused with their reason.` : ""}`}
      >
        <Table caption="The first rows of the file" data-testid="import-preview">
          <THead>
            <TR>
              <TH numeric>Line</TH>
              {fields.map((field) => (
                <TH key={field}>{columns[field]}</TH>
              ))}
              <TH>Problem</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((row) => (
              <TR key={row.line} data-testid="import-preview-row">
                <TD numeric>{row.line}</TD>
                {fields.map((field) => (
                  <TD key={field} wrap>
                    {row.values[field] ?? ""}
                  </TD>
                ))}
                <TD wrap>
                  {row.error ? (
                    <span className="text-red-700">{row.error}</span>
                  ) : row.skip ? (
                    <span className="text-zinc-600">Skipped: {row.skip}</span>
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
          modelNames={found.models}
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
      <Card title={job.status === "done" ? "Imported" : "Importing"}>
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
