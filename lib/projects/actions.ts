"use server";
// Server actions for projects.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/authz/action";
import { ok } from "@/lib/authz/result";
import { createProject, renameProject, setProjectArchived } from "./commands";
import { createProjectSchema, projectIdSchema, renameProjectSchema } from "./schema";

export const createProjectAction = teamAction("admin", createProjectSchema, async (ctx, input) => {
  const project = await createProject(ctx, input);
  revalidatePath(`/t/${ctx.team.slug}/projects`);
  return ok(project, `Project “${project.name}” created.`);
});

export const renameProjectAction = teamAction("admin", renameProjectSchema, async (ctx, input) => {
  await renameProject(ctx, input);
  revalidatePath(`/t/${ctx.team.slug}/projects`);
  return ok(null, "Project saved.");
});

export const archiveProjectAction = teamAction("admin", projectIdSchema, async (ctx, input) => {
  await setProjectArchived(ctx, input.projectId, true);
  revalidatePath(`/t/${ctx.team.slug}/projects`);
  return ok(null, "Project archived.");
});

export const restoreProjectAction = teamAction("admin", projectIdSchema, async (ctx, input) => {
  await setProjectArchived(ctx, input.projectId, false);
  revalidatePath(`/t/${ctx.team.slug}/projects`);
  return ok(null, "Project restored.");
});
