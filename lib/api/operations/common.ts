// Schemas shared by the API's operations: ids, the run's fields, paging.
import { z } from "zod";
import { MAX_CREDITS, PURPOSES, RUN_OUTCOMES, RUN_STAGES } from "@/lib/ledger/schema";

export const teamSlugParam = z.string().max(64).meta({ description: "The team's slug, as in its address (/t/{teamSlug})." });

export const idParam = (what: string) => z.string().min(1).max(64).meta({ description: `The ${what}'s id.` });

export const credits = (description: string) => z.number().int().min(0).max(MAX_CREDITS).meta({ description });

export const signedCredits = (description: string) => z.number().int().meta({ description });

export const stage = z.enum(RUN_STAGES).meta({ description: "test: a prompt check; draft: shown to someone; final: delivered." });
export const outcome = z.enum(RUN_OUTCOMES);
export const purpose = z.enum(PURPOSES);

export const settings = z
  .record(z.string().max(40), z.string().max(100))
  .meta({ description: "The model's settings by key (e.g. `resolution: \"2K\"`); what is left out takes the model's default." });

export const quantity = z.number().int().min(1).max(10_000).meta({ description: "How many outputs the run makes." });

export const timestamp = z.string().meta({ description: "A moment, as an ISO 8601 date and time in UTC.", example: "2026-12-06T17:00:00.000Z" });

export const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "Send as `cursor` for the next page; null on the last page." });
