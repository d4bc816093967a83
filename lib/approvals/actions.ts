"use server";
// Server actions for approvals: authorize → command → revalidate. Only admins edit the policy.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import { savePolicy } from "./commands";
import { savePolicySchema } from "./schema";

export const savePolicyAction = teamAction("admin", savePolicySchema, async (ctx, policy) => {
  const saved = await savePolicy(ctx, policy);
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  return ok(saved, `Approval policy saved as version ${saved.version}.`);
});
