// Reads for projects of one team.
import "server-only";
import { db } from "@/lib/db/client";

export type ArchivedFilter = "include" | "exclude" | "only";

const archivedWhere = { include: {}, exclude: { archivedAt: null }, only: { archivedAt: { not: null } } } as const;

export async function listProjects(teamId: string, archived: ArchivedFilter = "exclude") {
  return db().project.findMany({
    where: { teamId, ...archivedWhere[archived] },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
    select: { id: true, name: true, description: true, archivedAt: true, createdAt: true, updatedAt: true },
  });
}

export async function getProject(teamId: string, projectId: string) {
  return db().project.findFirst({
    where: { id: projectId, teamId },
    select: { id: true, name: true, description: true, archivedAt: true, createdAt: true },
  });
}
