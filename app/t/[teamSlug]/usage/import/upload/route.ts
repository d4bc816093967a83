// POST /t/{teamSlug}/usage/import/upload?name=<file name> — a usage file (CSV) as the body, streamed into a draft import; admins and owners.
import { errorResponse, teamUploadRoute } from "@/lib/authz/route";
import { stageUpload } from "@/lib/imports/commands";

export const POST = teamUploadRoute("admin", async (ctx, request) => {
  // A chosen file that is empty arrives as no body at all.
  const empty = "This file is empty: its first line must name the columns, and each line after it is a row.";
  if (!request.body) return errorResponse("invalid", empty, { file: empty });
  const name = new URL(request.url).searchParams.get("name") ?? "usage.csv";
  const { jobId, rows } = await stageUpload(ctx, name, request.body as unknown as AsyncIterable<Uint8Array>);
  return Response.json({ jobId, rows, next: `/t/${ctx.team.slug}/usage/import/${jobId}` }, { status: 201 });
});
