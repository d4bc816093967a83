"use server";
// Server actions for team API keys (admins): make one, answering its secret this once, and revoke one.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import { createApiKey, revokeApiKey } from "./commands";
import { createApiKeySchema, revokeApiKeySchema } from "./schema";

export const createApiKeyAction = teamAction("admin", createApiKeySchema, async (ctx, input) => {
  const key = await createApiKey(ctx, input);
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  return ok(key, `API key “${key.name}” created.`);
});

export const revokeApiKeyAction = teamAction("admin", revokeApiKeySchema, async (ctx, input) => {
  const key = await revokeApiKey(ctx, input.keyId);
  revalidatePath(`/t/${ctx.team.slug}/settings`);
  return ok(null, `API key “${key.name}” revoked.`);
});
