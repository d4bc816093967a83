// GET /api/v1/teams/{teamSlug}/projects — the team's projects, for anyone in the team.
import { teamRoute } from "@/lib/authz/route";
import { listProjects } from "@/lib/projects/queries";
import { listProjectsSchema } from "@/lib/projects/schema";

export const GET = teamRoute("viewer", listProjectsSchema, async (ctx, input) => {
  const projects = await listProjects(ctx.team.id, input.archived);
  return Response.json({
    projects: projects.map((project) => ({
      id: project.id,
      name: project.name,
      description: project.description,
      archived: project.archivedAt !== null,
      createdAt: project.createdAt.toISOString(),
    })),
  });
});
