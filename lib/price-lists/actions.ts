"use server";
// Server actions for the team's price list: admins edit, add and import; everyone in the team estimates.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import { formatDateTime } from "@/lib/format";
import type { TeamRef } from "@/lib/authz/team";
import { addPriceEntry, importPriceList, updatePriceEntry, type SavedVersion } from "./commands";
import { estimateRunInForce } from "./queries";
import { addPriceEntrySchema, estimateRunSchema, importPriceListSchema, updatePriceEntrySchema } from "./schema";

function savedMessage(team: TeamRef, saved: SavedVersion): string {
  const when = saved.scheduled ? `takes effect on ${formatDateTime(saved.effectiveFrom, team.timeZone)}` : "is in force now";
  return `Saved price list version ${saved.version}; it ${when}.`;
}

function versionOptions(input: { effective: "now" | "later"; effectiveAt?: string; versionNote: string }) {
  return { effective: { effective: input.effective, effectiveAt: input.effectiveAt }, note: input.versionNote };
}

export const updatePriceEntryAction = teamAction("admin", updatePriceEntrySchema, async (ctx, input) => {
  const { modelId, credits, tier, enabled, unit, useFor, note, minimumCharge, factors } = input;
  const saved = await updatePriceEntry(
    ctx,
    { modelId, credits, tier, enabled, unit, useFor, note, minimumCharge, factors },
    versionOptions(input),
  );
  revalidatePath(`/t/${ctx.team.slug}/pricing`);
  return ok(saved, savedMessage(ctx.team, saved));
});

export const addPriceEntryAction = teamAction("admin", addPriceEntrySchema, async (ctx, input) => {
  const { id, name, outputType, tier, credits, unit, useFor, note, minimumCharge } = input;
  const saved = await addPriceEntry(
    ctx,
    { id, name, outputType, tier, credits, unit, useFor, note, minimumCharge },
    versionOptions(input),
  );
  revalidatePath(`/t/${ctx.team.slug}/pricing`);
  return ok(saved, savedMessage(ctx.team, saved));
});

export const importPriceListAction = teamAction("admin", importPriceListSchema, async (ctx, input) => {
  const saved = await importPriceList(ctx, input.json, versionOptions(input));
  revalidatePath(`/t/${ctx.team.slug}/pricing`);
  return ok(saved, savedMessage(ctx.team, saved));
});

/**
 * The same estimate the browser shows, worked out on the server against the
 * version in force now, so a form can show which version its figure comes from.
 */
export const estimateRunAction = teamAction("viewer", estimateRunSchema, async (ctx, input) => {
  return ok(await estimateRunInForce(ctx.team.id, input));
});
