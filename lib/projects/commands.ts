// Writes for projects: create, rename, archive and restore; each with its audit entry.
import "server-only";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";

const NAME_TAKEN = "Another project in this team already has this name.";

// Names are compared without case so "Spring" and "spring" cannot both exist.
async function checkNameFree(tx: TransactionClient, teamId: string, name: string, exceptId?: string) {
  // The unique index is case-sensitive: concurrent creates and renames in one team take turns on the
  // team row, so each check sees the names the others committed.
  await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${teamId} FOR NO KEY UPDATE`;
  const clash = await tx.project.findFirst({
    where: { teamId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw fieldError("name", NAME_TAKEN, "conflict");
}

async function findProject(tx: TransactionClient, ctx: TeamContext, projectId: string) {
  const project = await tx.project.findFirst({
    where: { id: projectId, teamId: ctx.team.id },
    select: { id: true, name: true, description: true, archivedAt: true },
  });
  if (!project) throw new DomainError("not_found", "That project does not exist in this team.");
  return project;
}

export async function createProject(ctx: TeamContext, input: { name: string; description: string }) {
  return db().$transaction(async (tx) => {
    await checkNameFree(tx, ctx.team.id, input.name);
    const project = await tx.project.create({
      data: { teamId: ctx.team.id, name: input.name, description: input.description, createdById: ctx.user.id },
      select: { id: true, name: true },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "project.created",
      targetType: "project",
      targetId: project.id,
      details: { name: input.name },
    });
    return project;
  });
}

export async function renameProject(ctx: TeamContext, input: { projectId: string; name: string; description: string }) {
  await db().$transaction(async (tx) => {
    const project = await findProject(tx, ctx, input.projectId);
    await checkNameFree(tx, ctx.team.id, input.name, project.id);
    await tx.project.update({ where: { id: project.id }, data: { name: input.name, description: input.description } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "project.renamed",
      targetType: "project",
      targetId: project.id,
      details: { from: project.name, to: input.name },
    });
  });
}

export async function setProjectArchived(ctx: TeamContext, projectId: string, archived: boolean) {
  await db().$transaction(async (tx) => {
    const project = await findProject(tx, ctx, projectId);
    if (Boolean(project.archivedAt) === archived) {
      throw new DomainError("conflict", archived ? "This project is already archived." : "This project is not archived.");
    }
    await tx.project.update({ where: { id: project.id }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: archived ? "project.archived" : "project.restored",
      targetType: "project",
      targetId: project.id,
      details: { name: project.name },
    });
  });
}
