// The API's list of the team's projects (what a run, a budget and a key's limit name).
import { z } from "zod";
import { listProjectsSchema } from "@/lib/projects/schema";
import { defineOperation } from "../operation";
import { timestamp } from "./common";

export const projectAnswer = z
  .object({ id: z.string(), name: z.string(), description: z.string(), archived: z.boolean(), createdAt: timestamp })
  .meta({ id: "Project" });

export const listProjects = defineOperation({
  operationId: "listProjects",
  method: "get",
  path: "/teams/{teamSlug}/projects",
  tag: "Projects",
  summary: "List projects",
  description: "The team's projects — the ids runs, budgets and usage name; archived ones only when asked. A key limited to one project sees that project only.",
  role: "viewer",
  scope: null,
  query: listProjectsSchema.extend({
    archived: listProjectsSchema.shape.archived.meta({ description: "`exclude` (the default), `include` or `only`." }),
  }),
  responses: { 200: { description: "The projects.", schema: z.object({ projects: z.array(projectAnswer) }) } },
});
