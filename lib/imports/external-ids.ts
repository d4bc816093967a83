// An external id is a promise that two rows are one run: rows that reuse one with different content are refused, not
// silently taken as "already present".
import "server-only";
import type { TransactionClient } from "@/lib/db/transaction";

/**
 * Refuses the pending rows among `lines` of a job whose external id the team already imported from a row of other
 * content (the earlier row found through the fingerprint's run), or that an earlier line of the same file has with
 * other content (marked `_reusedId` when the file was read), before the chunk is recorded: each gets its reason and
 * the job's counts move, so the chunk function passes over them. Answers the lines it refused. Runs in the chunk's
 * transaction, whose FOR UPDATE already holds these rows.
 */
export async function refuseReusedExternalIds(tx: TransactionClient, teamId: string, jobId: string, lines: number[]): Promise<Set<number>> {
  if (lines.length === 0) return new Set();
  const refused = await tx.$queryRaw<{ line: number }[]>`
    WITH clash AS (
      SELECT "line", r."values" ->> '_reusedId' AS "reason"
      FROM "ImportRow" r
      WHERE r."jobId" = ${jobId} AND r."line" = ANY(${lines}::int[]) AND r."status" = 'pending' AND r."values" ->> '_reusedId' IS NOT NULL
      UNION ALL
      SELECT DISTINCT ON (r."line") r."line",
        'This external id was already imported with different content (line ' || e."line" || ' of an earlier import, ' || j."fileName" || '). Give this row its own external id, or leave it out.'
      FROM "ImportRow" r
      JOIN "ImportFingerprint" f ON f."teamId" = ${teamId} AND f."fingerprint" = r."fingerprint"
      JOIN "ImportRow" e ON e."runId" = f."runId"
      JOIN "ImportJob" j ON j."id" = e."jobId"
      WHERE r."jobId" = ${jobId} AND r."line" = ANY(${lines}::int[]) AND r."status" = 'pending' AND r."values" ->> '_reusedId' IS NULL
        AND r."fingerprint" LIKE 'x:%' AND e."contentHash" <> r."contentHash"
    )
    UPDATE "ImportRow" r SET "status" = 'refused', "reason" = c."reason"
      FROM clash c
      WHERE r."jobId" = ${jobId} AND r."line" = c."line"
      RETURNING r."line"`;
  if (refused.length > 0) {
    await tx.importJob.update({ where: { id: jobId }, data: { doneRows: { increment: refused.length }, refused: { increment: refused.length } } });
  }
  return new Set(refused.map((row) => row.line));
}
