// Inputs of the import: the importer's choices before it starts, and what a job keeps of them.
import { z } from "zod";
import { PURPOSES, RUN_OUTCOMES, RUN_STAGES } from "@/lib/ledger/schema";

/** A name the file uses and how many rows use it, found while the file was read. */
export type FoundName = { name: string; rows: number; modelId?: string | null; userId?: string | null };

/** What a job keeps: the names found in its file and, once started, the importer's choices. */
export type ImportChoices = {
  found?: { people: FoundName[]; models: FoundName[]; more: boolean };
  /** Rows the preview could not read, counted while the file was read. */
  unreadable?: number;
  projectId?: string;
  stage?: (typeof RUN_STAGES)[number];
  outcome?: (typeof RUN_OUTCOMES)[number];
  purpose?: (typeof PURPOSES)[number];
  /** By name as found: a member's user id, or "skip". */
  people?: Record<string, string>;
  /** By name as found: a catalog model id, or "skip". */
  models?: Record<string, string>;
};

export const SKIP = "skip";

const id = (what: string) => z.string({ error: `Choose ${what}.` }).trim().min(1, `Choose ${what}.`).max(100);

/** An optional choice of a select: its placeholder ("") is no choice. */
const optionalChoice = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

/**
 * Starting an import: the defaults for what the file does not say — each required only when some rows leave it empty
 * (startImport checks), never assumed — and for each name found in the file (`person.<n>` / `model.<n>`, by its place
 * in the job's list of found names) who or what it is, or "skip".
 */
export const startImportSchema = z.looseObject({
  jobId: id("an import"),
  projectId: optionalChoice(z.string().trim().max(100)),
  stage: optionalChoice(z.enum(RUN_STAGES, { error: "Choose the stage for rows that name none." })),
  outcome: optionalChoice(z.enum(RUN_OUTCOMES, { error: "Choose the outcome for rows that name none." })),
  purpose: z.enum(PURPOSES, { error: "Choose the purpose of the imported runs." }),
});
export type StartImportInput = z.output<typeof startImportSchema>;

/** How many rows of a file leave each default's cell empty (all of them, in the platform's export). */
export type MissingCells = { project: number; stage: number; outcome: number };

export const jobIdSchema = z.object({ jobId: id("an import") });

/** The largest file an upload reads, and the most rows. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const MAX_ROWS = 2_000_000;

/** The most usage events one API request records: they go in one transaction, which holds the team's lock. */
export const MAX_EVENTS = 1_000;
