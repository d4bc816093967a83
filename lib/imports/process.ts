// Recording a running import's rows through the ledger, a chunk per transaction, by whichever app instance gets there.
import "server-only";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError } from "@/lib/authz/result";
import type { TeamContext, TeamRef } from "@/lib/authz/team";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { isStopping } from "@/lib/jobs/stopping";
import { runEntryCall } from "@/lib/ledger/commands";
import { priceListsOf, latestPriceListVersion } from "@/lib/price-lists/queries";
import type { CatalogEntry } from "@/lib/pricing/types";
import type { RecordRunRequest } from "@/lib/ledger/schema";
import { refuseReusedExternalIds } from "./external-ids";
import { rememberedMappings, teamMembers } from "./queries";
import {
  matchMember,
  matchModel,
  modelInDescription,
  normalizeName,
  readRow,
  settingsInDescription,
  type LayoutName,
  type Member,
  type RowValues,
} from "./rules";
import { SKIP, type ImportChoices } from "./schema";

/** The most rows per transaction: the team is locked once per chunk, so other work of the team waits at most one chunk. */
export const CHUNK_ROWS = 1_000;

type Job = { id: string; teamId: string; fileName: string; layout: LayoutName; choices: ImportChoices; team: TeamRef };

/** A row as the ledger's chunk function takes it (cw_import_chunk). */
export type DecidedRow = { line: number; fingerprint: string; skip?: string; refuse?: string; call?: Record<string, unknown> };

/** What a job needs to decide its rows, read once per run of the processor. */
type Context = {
  job: Job;
  members: Map<string, Member>;
  memberList: Member[];
  entries: CatalogEntry[];
  rememberedModels: Record<string, string>;
  projects: Map<string, string>;
  priceListAt: ReturnType<typeof priceListsOf>;
  now: Date;
};

async function loadContext(jobId: string, now: Date): Promise<Context | null> {
  const row = await db().importJob.findUnique({
    where: { id: jobId },
    select: { id: true, teamId: true, fileName: true, layout: true, status: true, choices: true, team: { select: { id: true, slug: true, name: true, timeZone: true } } },
  });
  if (!row || row.status !== "running") return null;
  const [memberList, catalog, remembered, projects] = await Promise.all([
    teamMembers(row.teamId),
    latestPriceListVersion(row.teamId),
    rememberedMappings(row.teamId),
    db().project.findMany({ where: { teamId: row.teamId }, select: { id: true, name: true }, orderBy: { createdAt: "asc" } }),
  ]);
  const byName = new Map<string, string>();
  // The first project of a name wins, the same on every run of the processor.
  for (const project of projects) if (!byName.has(normalizeName(project.name))) byName.set(normalizeName(project.name), project.id);
  return {
    job: { id: row.id, teamId: row.teamId, fileName: row.fileName, layout: row.layout as LayoutName, choices: row.choices as ImportChoices, team: row.team },
    members: new Map(memberList.map((member) => [member.id, member])),
    memberList,
    entries: catalog.priceList.entries,
    rememberedModels: remembered.models,
    projects: byName,
    priceListAt: priceListsOf(row.teamId),
    now,
  };
}

/** Who the row's person is: the importer's choice, else the member of that email or name; or why the row cannot be recorded. */
function personOf(context: Context, person: string): { member: Member } | { skip: string } | { refuse: string } {
  const name = normalizeName(person);
  const choice = context.job.choices.people?.[name];
  if (choice === SKIP) return { skip: `You chose to skip the rows of “${person}”.` };
  if (choice) {
    const member = context.members.get(choice);
    return member ? { member } : { refuse: `The member chosen for “${person}” is no longer in the team.` };
  }
  const matched = matchMember(name, context.memberList);
  return matched ? { member: matched } : { refuse: `Nobody in the team is “${person}”; choose a member for them, or skip their rows.` };
}

function modelOf(context: Context, model: string): { modelId: string } | { skip: string } | { refuse: string } {
  const { layout, choices } = context.job;
  const found =
    layout === "platform"
      ? modelInDescription(model, context.entries, context.rememberedModels)
      : { name: normalizeName(model), modelId: matchModel(model, context.entries) };
  const choice = choices.models?.[found.name];
  if (choice === SKIP || (!choice && found.modelId === SKIP)) return { skip: `You chose to skip the rows of “${found.name}”.` };
  if (choice) return { modelId: choice };
  if (found.modelId) return { modelId: found.modelId };
  return { refuse: `“${found.name}” is not a model of the price list; choose one for it, or skip its rows.` };
}

/** What to do with one staged row: skip it, refuse it with a reason, or the ledger call that records it. */
export async function decideRow(context: Context, line: number, values: RowValues & { _unreadable?: string }, fingerprint: string): Promise<DecidedRow> {
  const { job } = context;
  // Without a fingerprint a row could be recorded again and again, or make every other such row "already present".
  if (fingerprint === "") return { line, fingerprint, refuse: "This row has no fingerprint (its upload did not finish); upload the file again." };
  if (values._unreadable) return { line, fingerprint, refuse: values._unreadable };
  const reading = readRow(job.layout, values, job.team.timeZone, context.now);
  if (reading.kind === "skip") return { line, fingerprint, skip: reading.reason };
  if (reading.kind === "error") return { line, fingerprint, refuse: reading.reason };
  const row = reading.row;
  const person = personOf(context, row.person);
  if (!("member" in person)) return { line, fingerprint, ...person };
  const model = modelOf(context, row.model);
  if (!("modelId" in model)) return { line, fingerprint, ...model };
  let projectId = job.choices.projectId!;
  if (row.project !== "") {
    const named = context.projects.get(normalizeName(row.project));
    if (!named) return { line, fingerprint, refuse: `There is no project “${row.project}” in this team; create it, or leave the cell empty for the default project.` };
    projectId = named;
  }
  let settings = row.settings;
  if (job.layout === "platform") {
    const { priceList } = await context.priceListAt(row.at);
    const entry = priceList.entries.find((candidate) => candidate.id === model.modelId);
    settings = entry ? settingsInDescription(row.model, entry) : {};
  }
  const request: RecordRunRequest = {
    projectId,
    modelId: model.modelId,
    settings,
    quantity: row.quantity ?? 1,
    stage: row.stage ?? job.choices.stage!,
    purpose: job.choices.purpose!,
    prompt: row.prompt,
    notes: `Imported from ${job.fileName}, line ${line}`,
    externalId: row.externalId || undefined,
    actual: row.credits,
    outcome: row.outcome ?? job.choices.outcome!,
  };
  // The member the row names is the run's person; the run happened at the row's date, priced by the list in force then.
  const ctx: TeamContext = { user: { ...person.member }, team: job.team, role: "member" };
  try {
    const { call } = await runEntryCall(ctx, "record", request, row.at, { actual: request.actual, outcome: request.outcome }, context.priceListAt);
    // Dated at its row, recorded now: the ledger entry and any alert carry the import's time, and no alert per row
    // (the import's end says how many rows went past a limit or were premium finals).
    return { line, fingerprint, call: { ...call, quiet: true, recordedAt: context.now.toISOString() } };
  } catch (error) {
    if (error instanceof DomainError) return { line, fingerprint, refuse: error.message };
    throw error;
  }
}

/** Where this process's import time went (milliseconds): taking a chunk's rows, deciding them here, and recording them in the database. */
export const importTimings = { readMs: 0, decideMs: 0, ledgerMs: 0, rows: 0 };

type ChunkAnswer = { imported: number; present: number; skipped: number; refused: number };

/**
 * One chunk in one transaction: the next pending rows that no other instance holds (FOR UPDATE SKIP LOCKED), each
 * decided here and recorded by cw_import_chunk — the run, its ledger entries and its fingerprint commit together or
 * not at all. Answers how many rows it took (0: none left that are free).
 */
async function processChunk(context: Context, size: number, where: { line?: number; after?: number } = {}): Promise<{ taken: number; last: number }> {
  const { line = null, after = 0 } = where;
  return db().$transaction(
    async (tx) => {
      const reading = performance.now();
      const rows = await tx.$queryRaw<{ line: number; values: RowValues; fingerprint: string }[]>`
        SELECT "line", "values", "fingerprint" FROM "ImportRow"
        WHERE "jobId" = ${context.job.id} AND "status" = 'pending' AND (${line}::int IS NULL OR "line" = ${line}::int) AND "line" > ${after}::int
        ORDER BY "line" LIMIT ${size} FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return { taken: 0, last: after };
      // Read through this transaction: with one connection (the embedded database) another would wait for it forever.
      context.priceListAt = priceListsOf(context.job.teamId, tx);
      const decided: DecidedRow[] = [];
      const deciding = performance.now();
      importTimings.readMs += deciding - reading;
      // The team's lock before looking at its fingerprints: an import of the same team recording meanwhile (another
      // job, another instance) must not write an external id between this check and cw_import_chunk, or a reused id
      // with other content would be taken for "already present".
      await tx.$executeRaw`SELECT 1 FROM cw_lock_credits(${context.job.teamId})`;
      const reused = await refuseReusedExternalIds(tx, context.job.teamId, context.job.id, rows.map((row) => row.line));
      for (const row of rows) if (!reused.has(row.line)) decided.push(await decideRow(context, row.line, row.values, row.fingerprint));
      const recording = performance.now();
      importTimings.decideMs += recording - deciding;
      const [result] = await tx.$queryRaw<{ result: string }[]>`
        SELECT cw_import_chunk(${context.job.teamId}, ${context.job.id}, ${JSON.stringify(decided)}::jsonb, ${appNow().toISOString()}::timestamp)::text AS result`;
      importTimings.ledgerMs += performance.now() - recording;
      importTimings.rows += rows.length;
      const answer = JSON.parse(result.result) as ChunkAnswer & { status: string; message?: string };
      if (answer.status !== "ok") throw new DomainError("conflict", answer.message ?? "The import could not continue.");
      return { taken: rows.length, last: rows[rows.length - 1].line };
    },
    { maxWait: 30_000, timeout: 300_000 },
  );
}

/**
 * Whether a failure may go away by itself — the database busy (a conflict, a deadlock, a lock or statement timeout),
 * out of resources or unreachable — so importing the file again later may record the row; any other failure (an
 * error raised by a check, a bug) would repeat.
 */
export function transientFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const known = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } } | null;
  const sqlState = known?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof sqlState === "string") return /^(40|53|08|55P03|57)/.test(sqlState);
  // Prisma's own: the server unreachable or gone (P1…), no connection free in time (P2024), a transaction expired (P2028), a write conflict (P2034).
  return typeof known?.code === "string" && /^(P1\d{3}|P2024|P2028|P2034)$/.test(known.code);
}

/** A row that failed in a way no reason explains is refused on its own, so the rows after it go on. */
async function refuseRow(context: Context, line: number, error: unknown) {
  console.error(`[import] line ${line} of import ${context.job.id} failed`, error);
  const reason = transientFailure(error)
    ? "The database was busy or out of reach while this row was recorded; import the file again later to retry it (rows already imported stay as they are)."
    : "Something went wrong recording this row, and importing it again would fail the same way; the error is logged for us to look into.";
  await db().$transaction(async (tx) => {
    const marked = await tx.importRow.updateMany({
      where: { jobId: context.job.id, line, status: "pending" },
      data: { status: "refused", reason },
    });
    if (marked.count > 0) await tx.importJob.update({ where: { id: context.job.id }, data: { doneRows: { increment: 1 }, refused: { increment: 1 } } });
  });
}

/** Marks the job done once no row is pending (exactly once, whichever instance gets there), audited with its counts. */
async function finishIfDone(jobId: string, now: Date): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const pending = await tx.importRow.count({ where: { jobId, status: "pending" } });
    if (pending > 0) return false;
    const finished = await tx.importJob.updateMany({ where: { id: jobId, status: "running" }, data: { status: "done", finishedAt: now } });
    if (finished.count === 0) return true;
    const job = await tx.importJob.findUniqueOrThrow({
      where: { id: jobId },
      select: { teamId: true, startedById: true, fileName: true, totalRows: true, imported: true, present: true, skipped: true, refused: true },
    });
    // One alert for the whole import instead of one per row: how many of its runs went past a budget or limit, and
    // how many were premium finals that no approval covered.
    const [flagged] = await tx.$queryRaw<{ overBudget: bigint; premiumFinals: bigint }[]>`
      SELECT COUNT(*) FILTER (WHERE r."overBudget") AS "overBudget",
          COUNT(*) FILTER (WHERE r."stage" = 'final' AND r."tier" = 'premium') AS "premiumFinals"
        FROM "ImportRow" i JOIN "Run" r ON r."id" = i."runId" AND r."teamId" = ${job.teamId}
        WHERE i."jobId" = ${jobId} AND i."status" = 'imported'`;
    const data = {
      jobId,
      fileName: job.fileName,
      imported: job.imported,
      present: job.present,
      skipped: job.skipped,
      refused: job.refused,
      overBudget: Number(flagged.overBudget),
      premiumFinals: Number(flagged.premiumFinals),
    };
    await tx.$executeRaw`SELECT cw_notify(${job.teamId}, ${null}::text, ${"import_finished"}, ${`import:${jobId}`}, ${JSON.stringify(data)}::jsonb, ${now.toISOString()}::timestamp)`;
    await recordAudit(tx, {
      teamId: job.teamId,
      actorId: job.startedById,
      action: "import.finished",
      at: now,
      targetType: "import_job",
      targetId: jobId,
      details: { fileName: job.fileName, rows: job.totalRows, imported: job.imported, present: job.present, skipped: job.skipped, refused: job.refused },
    });
    return true;
  });
}

/** How long a chunk may hold the team's lock — and on the embedded database its only connection, which every page waits for. */
export const CHUNK_TARGET_MS = 100;
/** The first chunk of a run of the processor: small, until its time says how many rows fit in CHUNK_TARGET_MS. */
const FIRST_CHUNK_ROWS = 100;
const MIN_CHUNK_ROWS = 10;

/** The size of the next chunk: as many rows as the last chunk's pace fits in CHUNK_TARGET_MS, growing at most twofold. */
export function nextChunkRows(size: number, taken: number, elapsedMs: number): number {
  if (taken < size || taken === 0) return size;
  const fits = Math.floor((taken * CHUNK_TARGET_MS) / Math.max(elapsedMs, 1));
  return Math.max(MIN_CHUNK_ROWS, Math.min(CHUNK_ROWS, size * 2, fits));
}

/**
 * Records a running job's rows until none is left that another instance is not already recording. A chunk the
 * database refuses as a whole (a row no reason explains) is taken again row by row, so only that row is refused.
 */
async function processJob(jobId: string, options: { chunkRows?: number } = {}): Promise<void> {
  const context = await loadContext(jobId, appNow());
  if (!context) return;
  let size = options.chunkRows ?? FIRST_CHUNK_ROWS;
  // The next chunk is taken after the last line of this one: the rows already done stay behind in the index on
  // (job, status, line) until a vacuum, and a search from the first line would step over all of them every chunk.
  let after = 0;
  for (;;) {
    // Shutting down: the rows left stay pending, and the next instance to look (or this one after its restart) goes on.
    if (isStopping()) return;
    // "Now" for the future-date check moves with the import, so a long import does not refuse what happened meanwhile.
    context.now = appNow();
    let chunk: { taken: number; last: number };
    const began = performance.now();
    try {
      chunk = await processChunk(context, size, { after });
      // Sized to take about a tenth of a second, so other requests on the embedded database are not kept waiting.
      if (!options.chunkRows) size = nextChunkRows(size, chunk.taken, performance.now() - began);
    } catch (error) {
      // The database out of reach is no row's fault: stop, and the job is resumed when it is back.
      if (isDatabaseUnavailable(error)) throw error;
      const lines = await db().importRow.findMany({ where: { jobId, status: "pending", line: { gt: after } }, select: { line: true }, orderBy: { line: "asc" }, take: size });
      for (const { line } of lines) {
        try {
          await processChunk(context, 1, { line });
        } catch (single) {
          if (isDatabaseUnavailable(single)) throw single;
          await refuseRow(context, line, single);
        }
      }
      if (lines.length === 0) throw error;
      after = lines[lines.length - 1].line;
      continue;
    }
    if (chunk.taken > 0) {
      after = chunk.last;
      continue;
    }
    // Nothing left after the last line: once more from the start, for rows another instance held and let go.
    if (after === 0) break;
    after = 0;
  }
  await finishIfDone(jobId, appNow());
}

// Kept on globalThis: route handlers, server actions and the background loop are bundled apart but share one process.
const state = globalThis as typeof globalThis & { __creditwiseImports?: Map<string, Promise<void>> };
const inFlight = (state.__creditwiseImports ??= new Map());

/** Records a running job's rows in this process; a second call while it runs waits for the same work. */
export function processImportJob(jobId: string, options: { chunkRows?: number } = {}): Promise<void> {
  const running = inFlight.get(jobId);
  if (running) return running;
  const work = processJob(jobId, options).finally(() => inFlight.delete(jobId));
  inFlight.set(jobId, work);
  return work;
}

/** Settles when every import this process is recording has stopped (a shutdown waits for it). */
export async function importsInFlight(): Promise<void> {
  await Promise.allSettled([...inFlight.values()]);
}

/** Starts recording a job in the background of this process; a failure is logged and the background loop tries again. */
export function kickImport(jobId: string): void {
  processImportJob(jobId).catch((error) => console.error(`[import] import ${jobId} stopped; it will be resumed`, error));
}

/** The running imports of every team, resumed by this instance (after a restart, or beside another instance). */
export async function resumeImports(): Promise<number> {
  const running = await db().importJob.findMany({ where: { status: "running" }, select: { id: true }, orderBy: { createdAt: "asc" }, take: 20 });
  for (const job of running) await processImportJob(job.id);
  return running.length;
}
