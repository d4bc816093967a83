// Schemas shared by the API's operations: ids, the run's fields, paging.
import { z } from "zod";
import { MAX_CREDITS, PURPOSES, RUN_OUTCOMES, RUN_STAGES } from "@/lib/ledger/schema";

export const teamSlugParam = z.string().max(64).meta({ description: "The team's slug, as in its address (/t/{teamSlug})." });

export const idParam = (what: string) => z.string().min(1).max(64).meta({ description: `The ${what}'s id.` });

export const credits = (description: string) => z.number().int().min(0).max(MAX_CREDITS).meta({ description });

export const signedCredits = (description: string) => z.number().int().meta({ description });

export const stage = z.enum(RUN_STAGES).meta({ description: "test: a prompt check; draft: shown to someone; final: delivered." });
export const outcome = z.enum(RUN_OUTCOMES).meta({ description: "How it turned out: accepted, rejected, needs_edit (regenerated after) or failed." });
export const purpose = z.enum(PURPOSES).meta({ description: "What the output is for (a web upscale or a premium test, for instance, is flagged by the recommendations)." });

export const settings = z
  .record(z.string().max(40), z.string().max(100))
  .refine((chosen) => Object.keys(chosen).length <= 20, "A model has at most 20 settings; send only the ones you choose.")
  .meta({
  description:
    "The model's settings by key, each set to one of its options' values as the price list names them (e.g. `resolution: \"2k\"`; `GET /price-list` lists each model's settings and options); what is left out takes the model's default.",
  example: { resolution: "2k" },
});

/** A model's id in the team's price list. */
export const modelId = z.string().min(1).max(100).meta({ description: "A model's id in the team's price list (`GET /price-list`).", example: "qwen-image" });

/** A project's id (`GET /projects`). */
export const projectId = (description: string) => z.string().min(1).max(64).meta({ description: `${description} Its id, from \`GET /projects\`.`, example: "cmj2k9f0000108l4zq1a2b3c4" });

export const quantity = z.number().int().min(1).max(10_000).meta({ description: "How many outputs the run makes.", example: 4 });

export const timestamp = z.string().meta({ description: "A moment, as an ISO 8601 date and time in UTC.", example: "2026-12-06T17:00:00.000Z" });

export const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "Send as `cursor` for the next page; null on the last page." });
