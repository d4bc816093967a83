"use server";
// Server actions of the import: authorize → command → revalidate. Only admins and owners import.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import { discardImport, startImport } from "./commands";
import { jobIdSchema, startImportSchema } from "./schema";

export const startImportAction = teamAction("admin", startImportSchema, async (ctx, input) => {
  const started = await startImport(ctx, input);
  revalidatePath(`/t/${ctx.team.slug}/usage/import`, "layout");
  return ok(started, "Import started.");
});

export const discardImportAction = teamAction("admin", jobIdSchema, async (ctx, input) => {
  await discardImport(ctx, input.jobId);
  revalidatePath(`/t/${ctx.team.slug}/usage/import`);
  return ok(null, "Upload discarded.");
});
