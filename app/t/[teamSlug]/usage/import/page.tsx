// Import usage (admins and owners): upload the platform's usage as CSV, and the team's past imports.
import type { Metadata } from "next";
import Link from "next/link";
import { UploadForm } from "@/components/imports/upload-form";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeamRole } from "@/lib/authz/page";
import { formatDateTime, formatNumber } from "@/lib/format";
import { listImports } from "@/lib/imports/queries";
import { LAYOUTS } from "@/lib/imports/rules";

export const metadata: Metadata = { title: "Import usage" };

const STATUS = { uploading: { label: "Uploading", tone: "neutral" }, draft: { label: "Not started", tone: "neutral" }, running: { label: "Importing", tone: "blue" }, done: { label: "Done", tone: "green" } } as const;

export default async function ImportPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const { team } = await requireTeamRole((await params).teamSlug, "admin");
  const jobs = await listImports(team.id);
  const base = `/t/${team.slug}/usage/import`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Import usage"
        description="Bring in what was spent on the platform outside Creditwise. Each row becomes a run, recorded through the ledger; a row already imported is never counted twice."
      />
      <Card title="Upload a file">
        <div className="flex flex-col gap-4">
          <UploadForm teamSlug={team.slug} />
          <div className="text-sm text-zinc-700">
            <p>The first line names the columns (any order, any case); the layout is read from them:</p>
            <ul className="mt-1 list-disc pl-5">
              {(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[]).map((layout) => (
                <li key={layout}>
                  <span className="font-medium">{LAYOUTS[layout].label[0].toUpperCase() + LAYOUTS[layout].label.slice(1)}</span>:{" "}
                  {Object.values(LAYOUTS[layout].columns).join(", ")}.
                </li>
              ))}
            </ul>
            <p className="mt-1">Dates without an offset are read in {team.timeZone}. You see the first rows and map unknown people and models before anything is recorded.</p>
          </div>
        </div>
      </Card>
      <Card title="Past imports">
        {jobs.length === 0 ? (
          <EmptyState title="No imports yet" text="Files you import appear here with their report." />
        ) : (
          <Table caption="Past imports" data-testid="import-list">
            <THead>
              <TR>
                <TH>File</TH>
                <TH>Layout</TH>
                <TH>Status</TH>
                <TH numeric>Rows</TH>
                <TH numeric>Imported</TH>
                <TH numeric>Already present</TH>
                <TH numeric>Skipped</TH>
                <TH numeric>Refused</TH>
                <TH>Uploaded</TH>
              </TR>
            </THead>
            <TBody>
              {jobs.map((job) => (
                <TR key={job.id} data-testid="import-row">
                  <TD>
                    <Link href={`${base}/${job.id}`}>{job.fileName}</Link>
                  </TD>
                  <TD className="whitespace-nowrap">{LAYOUTS[job.layout].short}</TD>
                  <TD>
                    <Badge tone={STATUS[job.status].tone}>{STATUS[job.status].label}</Badge>
                  </TD>
                  <TD numeric>{formatNumber(job.totalRows)}</TD>
                  <TD numeric>{job.status === "draft" ? "—" : formatNumber(job.imported)}</TD>
                  <TD numeric>{job.status === "draft" ? "—" : formatNumber(job.present)}</TD>
                  <TD numeric>{job.status === "draft" ? "—" : formatNumber(job.skipped)}</TD>
                  <TD numeric>{job.status === "draft" ? "—" : formatNumber(job.refused)}</TD>
                  <TD>
                    {formatDateTime(job.createdAt, team.timeZone)} by {job.startedBy.name}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
