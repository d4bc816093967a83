// Reads of the import: a team's imports, one job's progress and preview, its report row by row, and what names mean.
import "server-only";
import { db } from "@/lib/db/client";
import { latestPriceListVersion } from "@/lib/price-lists/queries";
import { spreadsheetText } from "@/lib/csv";
import { estimateRun } from "@/lib/pricing/estimate";
import {
  LAYOUTS,
  matchMember,
  matchModel,
  modelInDescription,
  normalizeName,
  readRow,
  readWhole,
  settingsInDescription,
  type LayoutName,
  type Member,
  type RowValues,
} from "./rules";
import { SKIP, type ImportChoices, type MissingCells } from "./schema";

/** The team's members, as the import matches people against them. */
export async function teamMembers(teamId: string): Promise<Member[]> {
  const memberships = await db().membership.findMany({ where: { teamId }, select: { user: { select: { id: true, email: true, name: true } } } });
  return memberships.map((membership) => membership.user);
}

/** What the team remembered a file's names to be, by kind: name → user id or model id, or "skip". */
export async function rememberedMappings(teamId: string): Promise<{ people: Record<string, string>; models: Record<string, string> }> {
  const rows = await db().importMapping.findMany({ where: { teamId }, select: { kind: true, externalName: true, userId: true, modelId: true } });
  const people: Record<string, string> = {};
  const models: Record<string, string> = {};
  for (const row of rows) {
    if (row.kind === "person") people[row.externalName] = row.userId ?? SKIP;
    if (row.kind === "model") models[row.externalName] = row.modelId ?? SKIP;
  }
  return { people, models };
}

const jobSelect = {
  id: true,
  fileName: true,
  layout: true,
  status: true,
  header: true,
  choices: true,
  totalRows: true,
  doneRows: true,
  imported: true,
  present: true,
  skipped: true,
  refused: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  startedBy: { select: { name: true, email: true } },
} as const;

export type ImportProgress = {
  status: "uploading" | "draft" | "running" | "done";
  totalRows: number;
  doneRows: number;
  imported: number;
  present: number;
  skipped: number;
  refused: number;
  /** Rows per second since the import started; null before a row is done. */
  rowsPerSecond: number | null;
  /** At that rate; null when it cannot be said yet, 0 when done. */
  secondsLeft: number | null;
};

/** Progress figures of a job at `now`: the rate over its time so far, and what is left at that rate. */
export function progressOf(
  job: { status: ImportProgress["status"]; totalRows: number; doneRows: number; imported: number; present: number; skipped: number; refused: number; startedAt: Date | null; finishedAt: Date | null },
  now: Date,
): ImportProgress {
  const end = job.finishedAt ?? now;
  const seconds = job.startedAt ? Math.max((end.getTime() - job.startedAt.getTime()) / 1000, 0.001) : null;
  const rowsPerSecond = seconds !== null && job.doneRows > 0 ? job.doneRows / seconds : null;
  const secondsLeft = job.status === "done" ? 0 : rowsPerSecond ? (job.totalRows - job.doneRows) / rowsPerSecond : null;
  return {
    status: job.status,
    totalRows: job.totalRows,
    doneRows: job.doneRows,
    imported: job.imported,
    present: job.present,
    skipped: job.skipped,
    refused: job.refused,
    rowsPerSecond,
    secondsLeft,
  };
}

export type ImportJobView = Awaited<ReturnType<typeof getImportJob>> & object;

/** One import of the team, or null (another team's job is not found). */
export async function getImportJob(teamId: string, jobId: string) {
  const job = await db().importJob.findFirst({ where: { id: jobId, teamId }, select: jobSelect });
  if (!job) return null;
  return { ...job, layout: job.layout as LayoutName, header: job.header as string[], choices: job.choices as ImportChoices };
}

/** The team's imports, newest first; an upload still streaming in is not one yet. */
export async function listImports(teamId: string, take = 20) {
  const jobs = await db().importJob.findMany({ where: { teamId, status: { not: "uploading" } }, select: jobSelect, orderBy: { createdAt: "desc" }, take });
  return jobs.map((job) => ({ ...job, layout: job.layout as LayoutName }));
}

/** What a previewed row will become, as far as can be said before the importer's choices. */
export type RowOutcome = {
  /** The member's name, or null when nobody of the team is known for the row's person yet. */
  member: string | null;
  /** The catalog's name of the model, "skip" when remembered as skipped, or null when unknown. */
  model: string | null;
  credits: number;
  quantity: number;
  /** A project of the team by name, or null: the default chosen before importing. */
  project: string | null;
  /** The row's stage and outcome, or null: the defaults chosen before importing. */
  stage: string | null;
  outcome: string | null;
};

export type PreviewRow = {
  line: number;
  values: RowValues;
  error: string | null;
  skip: string | null;
  becomes: RowOutcome | null;
  /** What the import would refuse the row for later, unless the importer maps a name first. */
  problems: string[];
  /** Its fingerprint is already imported in this team: it will be skipped as already present. */
  present: boolean;
};

/**
 * The first rows of a draft as the import reads them: each with what is wrong with it on its own, what it will become
 * (member, model as the catalog spells it, credits, project, stage and outcome) and what the import would refuse it
 * for — an unknown project, a setting the model does not have, a person or model nobody is mapped to yet.
 */
export async function previewRows(teamId: string, jobId: string, timeZone: string, now: Date, take = 20): Promise<PreviewRow[]> {
  const job = await db().importJob.findFirst({ where: { id: jobId, teamId, status: { not: "uploading" } }, select: { layout: true } });
  if (!job) return [];
  const layout = job.layout as LayoutName;
  const [rows, members, catalog, remembered, projects] = await Promise.all([
    db().$queryRaw<{ line: number; values: RowValues & { _unreadable?: string; _reusedId?: string }; present: boolean }[]>`
      SELECT r."line", r."values", EXISTS (SELECT 1 FROM "ImportFingerprint" f WHERE f."teamId" = ${teamId} AND f."fingerprint" = r."fingerprint") AS "present"
      FROM "ImportRow" r WHERE r."jobId" = ${jobId} ORDER BY r."line" LIMIT ${take}`,
    teamMembers(teamId),
    latestPriceListVersion(teamId),
    rememberedMappings(teamId),
    db().project.findMany({ where: { teamId, archivedAt: null }, select: { name: true }, orderBy: { createdAt: "asc" } }),
  ]);
  const entries = catalog.priceList.entries;
  const projectNames = new Map(projects.map((project) => [normalizeName(project.name), project.name]));
  return rows.map((row): PreviewRow => {
    const { values, present } = row;
    const base = { line: row.line, values, present, becomes: null, problems: [] };
    if (values._unreadable) return { ...base, error: values._unreadable, skip: null };
    if (values._reusedId) return { ...base, error: values._reusedId, skip: null };
    const reading = readRow(layout, values, timeZone, now);
    if (reading.kind === "error") return { ...base, error: reading.reason, skip: null };
    if (reading.kind === "skip") return { ...base, error: null, skip: reading.reason };
    const read = reading.row;
    const problems: string[] = [];
    const person = normalizeName(read.person);
    const personId = remembered.people[person] ?? matchMember(person, members)?.id ?? null;
    const member = personId === SKIP ? "skip" : (members.find((candidate) => candidate.id === personId)?.name ?? null);
    if (!personId) problems.push(`Nobody in the team is “${read.person}” yet: choose a member below, or skip their rows.`);
    const found =
      layout === "platform"
        ? modelInDescription(read.model, entries, remembered.models)
        : { name: normalizeName(read.model), modelId: remembered.models[normalizeName(read.model)] ?? matchModel(read.model, entries) };
    const entry = entries.find((candidate) => candidate.id === found.modelId) ?? null;
    if (!found.modelId) problems.push(`“${found.name}” is not a model of the price list: choose one below, or skip its rows.`);
    const settings = layout === "platform" && entry ? settingsInDescription(read.model, entry) : read.settings;
    if (entry) {
      const estimate = estimateRun(catalog.priceList, { modelId: entry.id, settings, quantity: read.quantity ?? 1 });
      if (!estimate.ok) problems.push(estimate.error.message);
    }
    let project: string | null = null;
    if (read.project !== "") {
      project = projectNames.get(normalizeName(read.project)) ?? null;
      if (!project) problems.push(`There is no project “${read.project}” in this team; create it, or leave the cell empty for the default project.`);
    }
    return {
      ...base,
      error: null,
      skip: null,
      problems,
      becomes: {
        member,
        model: found.modelId === SKIP ? "skip" : (entry?.name ?? null),
        credits: read.credits,
        quantity: read.quantity ?? 1,
        project,
        stage: read.stage,
        outcome: read.outcome,
      },
    };
  });
}

/** How many rows of a job are already imported in the team (by fingerprint): they will be skipped as already present. */
export async function presentRows(teamId: string, jobId: string): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS "n" FROM "ImportRow" r
    JOIN "ImportFingerprint" f ON f."teamId" = ${teamId} AND f."fingerprint" = r."fingerprint"
    WHERE r."jobId" = ${jobId}`;
  return row?.n ?? 0;
}

/** How many rows of a job leave the project, the stage and the outcome empty: those the importer's defaults are for. */
export async function missingCells(jobId: string): Promise<MissingCells> {
  const [row] = await db().$queryRaw<{ project: number; stage: number; outcome: number }[]>`
    SELECT count(*) FILTER (WHERE COALESCE("values" ->> 'project', '') = '')::int AS "project",
      count(*) FILTER (WHERE COALESCE("values" ->> 'stage', '') = '')::int AS "stage",
      count(*) FILTER (WHERE COALESCE("values" ->> 'outcome', '') = '')::int AS "outcome"
    FROM "ImportRow" WHERE "jobId" = ${jobId}`;
  return { project: row?.project ?? 0, stage: row?.stage ?? 0, outcome: row?.outcome ?? 0 };
}

/** The first rows of a job that were refused or skipped, with the reason (the report has them all). */
export async function problemRows(jobId: string, take = 100) {
  return db().importRow.findMany({
    where: { jobId, status: { in: ["refused", "skipped"] } },
    select: { line: true, status: true, reason: true },
    orderBy: { line: "asc" },
    take,
  });
}

/** The team's members and the catalog's models, for the mapping choices. */
export async function mappingChoices(teamId: string) {
  const [members, catalog] = await Promise.all([teamMembers(teamId), latestPriceListVersion(teamId)]);
  return {
    members: members.sort((a, b) => a.name.localeCompare(b.name)),
    models: catalog.priceList.entries.map((entry) => ({ id: entry.id, name: entry.name })),
  };
}

export const REPORT_COLUMNS = ["line", "result", "reason", "run", "date", "user", "model or description", "credits"];

const RESULT_WORDS = { pending: "not yet recorded", imported: "imported", present: "skipped: already present", skipped: "skipped", refused: "refused" } as const;

/** Text of a cell as a spreadsheet shows it and never runs it (`spreadsheetText`); a whole number stays a number. */
const text = (value: string | undefined) => spreadsheetText(value ?? "");
const numberOrText = (value: string | undefined) => {
  const number = readWhole(value ?? "");
  return number === null ? text(value) : number;
};

/** The report of a job, a page at a time by line (keyset), for the CSV download: constant memory however long. */
export async function* reportRows(jobId: string, layout: LayoutName, pageSize = 5_000): AsyncGenerator<(string | number)[]> {
  let after = 0;
  for (;;) {
    // A row found already present names the run it already is: the run its fingerprint was first recorded as.
    const rows = await db().$queryRaw<{ line: number; status: keyof typeof RESULT_WORDS; reason: string; runId: string | null; values: RowValues }[]>`
      SELECT r."line", r."status"::text AS "status", r."reason", COALESCE(r."runId", f."runId") AS "runId", r."values"
      FROM "ImportRow" r
      JOIN "ImportJob" j ON j."id" = r."jobId"
      LEFT JOIN "ImportFingerprint" f ON r."status" = 'present' AND f."teamId" = j."teamId" AND f."fingerprint" = r."fingerprint"
      WHERE r."jobId" = ${jobId} AND r."line" > ${after}
      ORDER BY r."line" LIMIT ${pageSize}`;
    for (const row of rows) {
      const values = row.values as RowValues;
      const credits = layout === "platform" ? values.amount : values.credits;
      yield [
        row.line,
        RESULT_WORDS[row.status],
        text(row.reason),
        row.runId ?? "",
        text(values.date),
        text(values.user),
        text(layout === "platform" ? values.description : values.model),
        numberOrText(credits),
      ];
    }
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].line;
  }
}

export function layoutLabel(layout: LayoutName): string {
  return LAYOUTS[layout].label;
}
