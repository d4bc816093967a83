// Inputs of project forms.
import { z } from "zod";

export const projectNameSchema = z
  .string({ error: "Enter a project name." })
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(80, "Use at most 80 characters.");

export const projectDescriptionSchema = z.string().trim().max(500, "Use at most 500 characters.").optional().default("");

export const createProjectSchema = z.object({ name: projectNameSchema, description: projectDescriptionSchema });
export const renameProjectSchema = z.object({
  projectId: z.string({ error: "Choose a project." }).min(1).max(64),
  name: projectNameSchema,
  description: projectDescriptionSchema,
});
export const projectIdSchema = z.object({ projectId: z.string({ error: "Choose a project." }).min(1).max(64) });
export const listProjectsSchema = z.object({
  archived: z.enum(["include", "exclude", "only"]).optional().default("exclude"),
});
