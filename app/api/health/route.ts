// GET /api/health — liveness and database reachability for load balancers; no team data.
import { db } from "@/lib/db/client";

export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ ok: true });
  } catch (error) {
    console.error("[health] database unreachable", error);
    return Response.json({ ok: false }, { status: 503 });
  }
}
