// Importing the platform's usage: a file read into a job's rows as it streams in, then started with the importer's choices.
import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { latestPriceListVersion } from "@/lib/price-lists/queries";
import { formatNumber } from "@/lib/format";
import {
  contentHash,
  detectLayout,
  matchMember,
  matchModel,
  modelInDescription,
  normalizeName,
  readRow,
  readValues,
  type DetectedLayout,
  type RowValues,
} from "./rules";
import { MAX_ROWS, MAX_UPLOAD_BYTES, SKIP, type FoundName, type ImportChoices, type StartImportInput } from "./schema";
import { kickImport } from "./process";
import { missingCells, rememberedMappings, teamMembers } from "./queries";

/** Rows written per statement while a file streams in. */
const STAGE_BATCH = 2_000;
/** Distinct names of people (and of models) a job lists for mapping; more is not a file of one team's usage. */
const MAX_FOUND_NAMES = 500;

type StagedRow = { line: number; values: RowValues & { _unreadable?: string }; hash: string };

/** Counts the names of a file as it streams by, and what each is already known to be. */
class NameCounter {
  private readonly counts = new Map<string, FoundName>();
  more = false;

  add(name: string, known: () => string | null, key: "userId" | "modelId") {
    const found = this.counts.get(name);
    if (found) {
      found.rows += 1;
      return;
    }
    if (this.counts.size >= MAX_FOUND_NAMES) {
      this.more = true;
      return;
    }
    this.counts.set(name, { name, rows: 1, [key]: known() });
  }

  list(): FoundName[] {
    return [...this.counts.values()].sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name));
  }
}

async function writeRows(jobId: string, rows: StagedRow[]) {
  if (rows.length === 0) return;
  await db().$executeRaw`
    INSERT INTO "ImportRow" ("jobId", "line", "values", "contentHash", "status")
    SELECT ${jobId}, x."line", x."values", x."hash", 'pending'::"ImportRowStatus"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x("line" int, "values" jsonb, "hash" text)`;
}

/** The most characters of one line (its cells together), and of cells on one line: far past any usage row. */
const MAX_LINE_CHARACTERS = 1_000_000;
const MAX_COLUMNS = 1_000;

/** Each cell as the parser reads it: refused when the line has too many, or when it holds a NUL (no text file does). */
function checkCell(value: string, context: { index: number; lines: number }): string {
  if (context.index >= MAX_COLUMNS) {
    throw fieldError("file", `Line ${formatNumber(context.lines)} has more than ${formatNumber(MAX_COLUMNS)} columns; a usage file has a few dozen. Check that the file is comma-separated CSV.`);
  }
  if (value.includes("\u0000")) {
    throw fieldError("file", `Line ${formatNumber(context.lines)} holds a NUL character, which no text file has: export the usage as CSV (UTF-8) and upload that.`);
  }
  return value;
}

/** What is wrong with a file the parser gave up on, said for the person; null for an error that is not the file's. */
function csvProblem(error: unknown, lastLine: number): DomainError | null {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("CSV_")) return null;
  const line = (error as { lines?: number }).lines ?? lastLine + 1;
  if (code === "CSV_QUOTE_NOT_CLOSED") {
    return fieldError("file", `A quote (") opened after line ${formatNumber(lastLine)} is never closed, so the rest of the file reads as one cell. Close it, or remove it.`);
  }
  if (code === "CSV_MAX_RECORD_SIZE") {
    return fieldError("file", `Line ${formatNumber(line)} is longer than ${formatNumber(MAX_LINE_CHARACTERS)} characters, which no usage row is: check that its quotes are closed.`);
  }
  return fieldError("file", `The file is not valid CSV near line ${formatNumber(line)}: ${(error as Error).message}`);
}

/** Bytes of a body counted as they pass; past the limit the read stops with a message. */
async function* limited(source: AsyncIterable<Uint8Array | string>, maxBytes: number) {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (bytes > maxBytes) throw fieldError("file", `The file is larger than ${formatNumber(maxBytes / 1024 / 1024)} MB; split it and import the parts.`);
    yield chunk;
  }
}

/**
 * Reads an uploaded file into a new draft job as it streams in — constant memory whatever its size: the header
 * decides the layout (or the file is refused with what is missing), each row is kept with its content hash, and the
 * people and models it names are counted for the importer to map. Fingerprints are given at the end, in one
 * statement, from each row's content and its occurrence in the file. Until then the job is `uploading`: nobody can
 * preview or start it, and if the upload is cut (or this process dies) it is deleted — here, or by the background
 * work six hours later (an upload of the largest file on a slow link may take more than an hour).
 */
export async function stageUpload(
  ctx: TeamContext,
  fileName: string,
  body: AsyncIterable<Uint8Array | string>,
  now = appNow(),
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<{ jobId: string; rows: number }> {
  const name = fileName.trim().slice(0, 200) || "usage.csv";
  const [catalog, members, remembered] = await Promise.all([
    latestPriceListVersion(ctx.team.id),
    teamMembers(ctx.team.id),
    rememberedMappings(ctx.team.id),
  ]);
  const entries = catalog.priceList.entries;
  let lastLine = 0;
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    info: true,
    max_record_size: MAX_LINE_CHARACTERS,
    // A file edited on two systems mixes its line ends; each is one (a quoted cell keeps its own).
    record_delimiter: ["\r\n", "\n", "\r"],
    // Called for each cell as it is read, so a line of millions of empty cells is refused before it is built.
    cast: checkCell,
    // Noted as the parser goes (the loop below may not have read as far when the parser gives up).
    on_record: (record, context) => {
      lastLine = context.lines;
      return record;
    },
  });
  // pipeline, not pipe: a body that fails (cut connection, too large) must end the read below with its error.
  const piping = pipeline(Readable.from(limited(body, maxBytes)), parser);
  // Its error is the loop's (the parser is destroyed with it); a loop that stops early ends the pipeline too.
  piping.catch(() => undefined);
  let header: string[] | null = null;
  let detected: DetectedLayout | null = null;
  let jobId: string | null = null;
  let batch: StagedRow[] = [];
  let rows = 0;
  let unreadable = 0;
  const people = new NameCounter();
  const models = new NameCounter();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record;
        const answer = detectLayout(header);
        if (!answer.ok) throw fieldError("file", answer.error);
        detected = answer.detected;
        const job = await db().importJob.create({
          data: { teamId: ctx.team.id, startedById: ctx.user.id, fileName: name, layout: detected.layout, header, createdAt: now, status: "uploading" },
          select: { id: true },
        });
        jobId = job.id;
        continue;
      }
      rows += 1;
      if (rows > MAX_ROWS) throw fieldError("file", `The file has more than ${formatNumber(MAX_ROWS)} rows; split it and import the parts.`);
      const read = readValues(detected!, record, header.length);
      const values: StagedRow["values"] = read.error ? { ...read.values, _unreadable: read.error } : read.values;
      batch.push({ line: info.lines, values, hash: contentHash(detected!.layout, values) });
      const reading = !read.error ? readRow(detected!.layout, read.values, ctx.team.timeZone, now) : null;
      if (!reading || reading.kind === "error") unreadable += 1;
      if (reading?.kind === "row") {
        const person = normalizeName(reading.row.person);
        people.add(person, () => remembered.people[person] ?? matchMember(person, members)?.id ?? null, "userId");
        if (detected!.layout === "platform") {
          const found = modelInDescription(reading.row.model, entries, remembered.models);
          models.add(found.name, () => remembered.models[found.name] ?? found.modelId, "modelId");
        } else {
          const model = normalizeName(reading.row.model);
          models.add(model, () => remembered.models[model] ?? matchModel(model, entries), "modelId");
        }
      }
      if (batch.length >= STAGE_BATCH) {
        await writeRows(jobId!, batch);
        batch = [];
      }
    }
    await piping;
    if (!jobId) throw fieldError("file", "This file is empty: its first line must name the columns, and each line after it is a row.");
    if (rows === 0) throw fieldError("file", "This file has only its header line: there are no rows to import.");
    await writeRows(jobId, batch);
    await db().$executeRaw`
      UPDATE "ImportRow" r SET "fingerprint" = CASE WHEN COALESCE(r."values" ->> 'externalId', '') <> ''
          THEN 'x:' || (r."values" ->> 'externalId') ELSE r."contentHash" || '#' || o."n" END
        FROM (SELECT "line", row_number() OVER (PARTITION BY "contentHash" ORDER BY "line") AS "n"
          FROM "ImportRow" WHERE "jobId" = ${jobId}) o
        WHERE r."jobId" = ${jobId} AND r."line" = o."line"`;
    // One external id twice in the file with different content: the later rows are marked, to be refused when the
    // import reaches them (refuseReusedExternalIds), not taken as "already present".
    await db().$executeRaw`
      UPDATE "ImportRow" r SET "values" = r."values" || jsonb_build_object('_reusedId',
          'This external id is also on line ' || d."firstLine" || ' of this file, with different content; give each run its own external id.')
        FROM (SELECT "line", "contentHash", first_value("line") OVER w AS "firstLine", first_value("contentHash") OVER w AS "firstHash"
          FROM "ImportRow" WHERE "jobId" = ${jobId} AND "fingerprint" LIKE 'x:%' WINDOW w AS (PARTITION BY "fingerprint" ORDER BY "line")) d
        WHERE r."jobId" = ${jobId} AND r."line" = d."line" AND d."contentHash" <> d."firstHash"`;
    const choices: ImportChoices = { found: { people: people.list(), models: models.list(), more: people.more || models.more }, unreadable };
    // A draft only now: every row has its fingerprint.
    await db().importJob.update({ where: { id: jobId }, data: { status: "draft", totalRows: rows, choices: choices as Prisma.InputJsonValue } });
    return { jobId, rows };
  } catch (error) {
    // A file that cannot be read to its end leaves nothing behind: the person fixes it and uploads it again.
    if (jobId) await db().importJob.delete({ where: { id: jobId } }).catch(() => undefined);
    throw csvProblem(error, lastLine) ?? error;
  }
}

/** A draft job of the team, or not found (another team's job id is not found either). */
async function draftJob(teamId: string, jobId: string) {
  const job = await db().importJob.findFirst({ where: { id: jobId, teamId }, select: { id: true, status: true, fileName: true, layout: true, totalRows: true, choices: true } });
  if (!job) throw new DomainError("not_found", "This upload does not exist in this team: it may have been discarded. Upload the file again to import it.");
  if (job.status === "uploading") throw new DomainError("conflict", "This file is still being uploaded; wait until its preview shows.");
  if (job.status !== "draft") throw new DomainError("conflict", "This import has already started.");
  return { ...job, choices: job.choices as ImportChoices };
}

/** How long an upload may stream before its job counts as abandoned (a cut connection, a process that died). */
export const STALE_UPLOAD_MS = 6 * 60 * 60_000;

/** Deletes the jobs of uploads that never finished (their rows go with them); answers how many. */
export async function discardStaleUploads(now = appNow()): Promise<number> {
  const deleted = await db().importJob.deleteMany({ where: { status: "uploading", createdAt: { lt: new Date(now.getTime() - STALE_UPLOAD_MS) } } });
  return deleted.count;
}

/**
 * Starts a draft import with the importer's choices: the defaults checked against the team, each found name's
 * member or model checked too and remembered for the next import (a skip too), the start audited;
 * then the rows are recorded in the background, by this instance at once and by any other that finds it running.
 */
export async function startImport(ctx: TeamContext, input: StartImportInput, now = appNow()): Promise<{ jobId: string }> {
  const job = await draftJob(ctx.team.id, input.jobId);
  const errors: Record<string, string> = {};
  // A default is asked for only when rows need it, and never assumed: a wrong guess would count as the team's history.
  const missing = await missingCells(job.id);
  const rowsWord = (rows: number) => `${formatNumber(rows)} ${rows === 1 ? "row" : "rows"}`;
  if (missing.project > 0 && !input.projectId) errors.projectId = `Choose the project for the ${rowsWord(missing.project)} that name none.`;
  if (missing.stage > 0 && !input.stage) errors.stage = `Choose the stage for the ${rowsWord(missing.stage)} that name none.`;
  if (missing.outcome > 0 && !input.outcome) errors.outcome = `Choose the outcome for the ${rowsWord(missing.outcome)} that name none.`;
  if (input.projectId) {
    const project = await db().project.findFirst({ where: { id: input.projectId, teamId: ctx.team.id }, select: { archivedAt: true } });
    if (!project) errors.projectId = "That project does not exist in this team.";
    else if (project.archivedAt) errors.projectId = "This project is archived; choose another or restore it.";
  }
  const members = new Set((await teamMembers(ctx.team.id)).map((member) => member.id));
  const catalog = new Set((await latestPriceListVersion(ctx.team.id)).priceList.entries.map((entry) => entry.id));
  const raw = input as Record<string, unknown>;
  const people: Record<string, string> = {};
  const models: Record<string, string> = {};
  job.choices.found?.people.forEach((found, i) => {
    const choice = String(raw[`person.${i}`] ?? "").trim();
    if (choice === "") return;
    if (choice !== SKIP && !members.has(choice)) errors[`person.${i}`] = `Choose a member of this team for “${found.name}”, or skip their rows.`;
    else people[found.name] = choice;
  });
  job.choices.found?.models.forEach((found, i) => {
    const choice = String(raw[`model.${i}`] ?? "").trim();
    if (choice === "") return;
    if (choice !== SKIP && !catalog.has(choice)) errors[`model.${i}`] = `Choose a model of the price list for “${found.name}”, or skip its rows.`;
    else models[found.name] = choice;
  });
  if (Object.keys(errors).length > 0) {
    const names = Object.keys(errors).some((key) => key.startsWith("person.") || key.startsWith("model."));
    throw new DomainError("invalid", names ? "Some choices are missing: see the fields marked." : "Choose what the file does not say.", errors);
  }
  const choices: ImportChoices = { ...job.choices, projectId: input.projectId, stage: input.stage, outcome: input.outcome, purpose: input.purpose, people, models };
  await db().$transaction(async (tx) => {
    const started = await tx.importJob.updateMany({
      where: { id: job.id, teamId: ctx.team.id, status: "draft" },
      data: { status: "running", startedAt: now, choices: choices as Prisma.InputJsonValue },
    });
    if (started.count === 0) {
      // Between the read above and now, another admin started it — or discarded it.
      const still = await tx.importJob.findFirst({ where: { id: job.id, teamId: ctx.team.id }, select: { id: true } });
      throw still
        ? new DomainError("conflict", "This import has already started.")
        : new DomainError("conflict", "This upload was just discarded; upload the file again to import it.");
    }
    for (const [kind, chosen] of [["person", people], ["model", models]] as const) {
      for (const [externalName, choice] of Object.entries(chosen)) {
        // A skip is remembered too (neither a member nor a model), as the page promises: the next file offers it again.
        const target = choice === SKIP ? { userId: null, modelId: null } : kind === "person" ? { userId: choice, modelId: null } : { userId: null, modelId: choice };
        await tx.importMapping.upsert({
          where: { teamId_kind_externalName: { teamId: ctx.team.id, kind, externalName } },
          create: { teamId: ctx.team.id, kind, externalName, ...target },
          update: target,
        });
      }
    }
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "import.started",
      at: now,
      targetType: "import_job",
      targetId: job.id,
      details: { fileName: job.fileName, layout: job.layout, rows: job.totalRows },
    });
  });
  kickImport(job.id);
  return { jobId: job.id };
}

/** Throws away a draft the importer does not want (its rows go with it); a started import stays for its report. */
export async function discardImport(ctx: TeamContext, jobId: string): Promise<void> {
  const deleted = await db().importJob.deleteMany({ where: { id: jobId, teamId: ctx.team.id, status: "draft" } });
  if (deleted.count === 0) {
    const exists = await db().importJob.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: { id: true } });
    throw exists
      ? new DomainError("conflict", "This import has started (another admin may have just started it), so it cannot be discarded; reload the page to follow its progress and read its report.")
      : new DomainError("not_found", "That upload does not exist in this team: it may have been discarded already.");
  }
}
