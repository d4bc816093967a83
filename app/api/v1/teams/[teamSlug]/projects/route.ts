// GET /api/v1/teams/{teamSlug}/projects — the team's projects (a key limited to one project sees only it).
import { keyProject, apiRoute } from "@/lib/authz/api";
import { listProjects as listProjectsOperation } from "@/lib/api/operations/projects";
import { listProjects } from "@/lib/projects/queries";

export const GET = apiRoute(listProjectsOperation, async (ctx, { query }) => {
  const only = keyProject(ctx);
  const projects = (await listProjects(ctx.team.id, query.archived)).filter((project) => only === null || project.id === only);
  return {
    status: 200,
    body: {
      projects: projects.map((project) => ({
        id: project.id,
        name: project.name,
        description: project.description,
        archived: project.archivedAt !== null,
        createdAt: project.createdAt.toISOString(),
      })),
    },
  };
});
