// Writes for team API keys: make one (its secret returned once, only its hash kept) and revoke one; both audited.
import "server-only";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { endOfDayIn } from "@/lib/ledger/dates";
import { newApiKeySecret } from "./rules";
import { MAX_KEYS_PER_TEAM, type CreateApiKeyInput } from "./schema";

export type CreatedApiKey = { id: string; name: string; secret: string; shown: string };

export async function createApiKey(ctx: TeamContext, input: CreateApiKeyInput, now = appNow()): Promise<CreatedApiKey> {
  const expiresAt = input.expiresOn ? endOfDayIn(input.expiresOn, ctx.team.timeZone) : null;
  if (expiresAt && expiresAt <= now) throw fieldError("expiresOn", "That day has already ended; choose a later one.");
  return db().$transaction(async (tx) => {
    // Keys of one team are counted under the team row's lock, so concurrent creates cannot pass the cap together.
    await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${ctx.team.id} FOR NO KEY UPDATE`;
    if (input.projectId) {
      const project = await tx.project.findFirst({ where: { id: input.projectId, teamId: ctx.team.id }, select: { archivedAt: true } });
      if (!project) throw fieldError("projectId", "That project is not in this team.");
      if (project.archivedAt) throw fieldError("projectId", "That project is archived; restore it first.");
    }
    const live = await tx.apiKey.count({ where: { teamId: ctx.team.id, revokedAt: null } });
    if (live >= MAX_KEYS_PER_TEAM) throw fieldError("name", `This team has ${MAX_KEYS_PER_TEAM} keys in use; revoke one you no longer need first.`, "conflict");
    const { secret, hash, shown } = newApiKeySecret();
    const key = await tx.apiKey.create({
      data: {
        teamId: ctx.team.id,
        name: input.name,
        hash,
        shown,
        scopes: input.scopes,
        projectId: input.projectId ?? null,
        expiresAt,
        createdById: ctx.user.id,
        createdAt: now,
      },
      select: { id: true, name: true },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "api_key.created",
      targetType: "api_key",
      targetId: key.id,
      at: now,
      details: { name: input.name, shown, scopes: input.scopes, projectId: input.projectId ?? null, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: key.id, name: key.name, secret, shown };
  });
}

/** Revoked in the database, which every instance reads on every request: the key's next request is refused. */
export async function revokeApiKey(ctx: TeamContext, keyId: string, now = appNow()): Promise<{ name: string }> {
  return db().$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, teamId: ctx.team.id }, select: { id: true, name: true, shown: true, revokedAt: true } });
    if (!key) throw new DomainError("not_found", "That key does not exist in this team.");
    if (key.revokedAt) throw new DomainError("conflict", `The key “${key.name}” was already revoked.`);
    const revoked = await tx.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: now, revokedById: ctx.user.id } });
    if (revoked.count === 0) throw new DomainError("conflict", `The key “${key.name}” was already revoked.`);
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: key.id,
      at: now,
      details: { name: key.name, shown: key.shown },
    });
    return { name: key.name };
  });
}
