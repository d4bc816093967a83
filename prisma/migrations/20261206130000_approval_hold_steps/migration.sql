-- Written by hand. The end of an approval's hold is a step of its request: settling or releasing the run an approval
-- held writes "approval.settled" or "approval.released" to the audit log, in the same transaction as the ledger's
-- entry. (Expiry writes "approval.expired" itself.) A hold released before anyone ran it (its requester or an admin
-- freeing the credits early) ends the approval there: the request is expired, so it can no longer be run. Every
-- other part of cw_batch is as approval_expiry left it.
CREATE OR REPLACE FUNCTION cw_batch(p_calls JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  answer JSONB;
  answers JSONB := '[]'::jsonb;
BEGIN
  FOR c IN SELECT value FROM jsonb_array_elements(p_calls) LOOP
    IF c ->> 'team' IS NOT NULL AND c ->> 'now' IS NOT NULL THEN
      PERFORM cw_lock_credits(c ->> 'team');
      PERFORM cw_expire_approvals(c ->> 'team', (c ->> 'now')::timestamp, 100);
    END IF;
    answer := CASE c ->> 'op'
      WHEN 'admit' THEN cw_admit_run(c ->> 'team', c ->> 'runId', c ->> 'project', c ->> 'user', c ->> 'key', c ->> 'hash',
        c -> 'run', (c ->> 'estimate')::int, (c ->> 'version')::int, c -> 'keys', (c ->> 'now')::timestamp)
      WHEN 'record' THEN cw_record_run(c ->> 'team', c ->> 'runId', c ->> 'project', c ->> 'user', c ->> 'key', c ->> 'hash',
        c -> 'run', (c ->> 'estimate')::int, (c ->> 'version')::int, c -> 'keys', (c ->> 'actual')::int, c ->> 'outcome',
        (c ->> 'now')::timestamp)
      WHEN 'settle' THEN cw_settle_run(c ->> 'team', c ->> 'runId', (c ->> 'actual')::int, c ->> 'outcome', c ->> 'actor',
        (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', c -> 'keys', (c ->> 'now')::timestamp)
      WHEN 'release' THEN cw_release_run(c ->> 'team', c ->> 'runId', c ->> 'state', c ->> 'reason', c ->> 'actor',
        (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', (c ->> 'now')::timestamp)
      ELSE cw_error('invalid', NULL, 'Unknown ledger operation.')
    END;
    IF c ->> 'op' IN ('settle', 'release') AND answer ->> 'status' IN ('settled', 'released', 'failed')
        AND COALESCE((answer ->> 'replayed')::boolean, false) = false THEN
      INSERT INTO "AuditLog" ("id", "teamId", "actorId", "action", "targetType", "targetId", "details", "createdAt")
        SELECT 'aud_' || replace(gen_random_uuid()::text, '-', ''), a."teamId", c ->> 'actor',
          CASE answer ->> 'status' WHEN 'settled' THEN 'approval.settled' ELSE 'approval.released' END,
          'approval_request', a."id",
          jsonb_build_object('runId', a."holdRunId", 'estimate', a."estimate", 'actual', (answer ->> 'actual')::int,
            'failed', answer ->> 'status' = 'failed'),
          (c ->> 'now')::timestamp
        FROM "ApprovalRequest" a
        WHERE a."teamId" = c ->> 'team' AND a."holdRunId" = c ->> 'runId';
      IF c ->> 'op' = 'release' THEN
        UPDATE "ApprovalRequest" SET "state" = 'expired', "expiresAt" = LEAST("expiresAt", (c ->> 'now')::timestamp),
            "version" = "version" + 1, "updatedAt" = (c ->> 'now')::timestamp
          WHERE "teamId" = c ->> 'team' AND "holdRunId" = c ->> 'runId' AND "state" = 'approved';
      END IF;
    END IF;
    answers := answers || jsonb_build_array(answer);
  END LOOP;
  RETURN answers;
END $$;

-- A request that lapses tells its requester, as a decision or an expiry does (kind "approval_lapsed"). Otherwise as
-- approval_expiry left it: up to p_limit requests (of p_team, or of any team) still pending past the moment they
-- lapse, marked lapsed and audited; a request being decided right now is locked and skipped.
CREATE OR REPLACE FUNCTION cw_lapse_requests(p_team TEXT, p_now TIMESTAMP(3), p_limit INT) RETURNS INT LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
  lapsed INT := 0;
BEGIN
  FOR r IN
    SELECT "id", "teamId", "requesterId", "projectId", "modelName", "quantity", "stage", "estimate", "lapsesAt" FROM "ApprovalRequest"
      WHERE "state" = 'pending' AND "lapsesAt" <= p_now AND (p_team IS NULL OR "teamId" = p_team)
      ORDER BY "lapsesAt", "id"
      LIMIT p_limit
      FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE "ApprovalRequest" SET "state" = 'lapsed', "version" = "version" + 1, "updatedAt" = p_now WHERE "id" = r."id";
    INSERT INTO "AuditLog" ("id", "teamId", "actorId", "action", "targetType", "targetId", "details", "createdAt")
      VALUES ('aud_' || replace(gen_random_uuid()::text, '-', ''), r."teamId", NULL, 'approval.lapsed', 'approval_request', r."id",
        jsonb_build_object('lapsesAt', to_char(r."lapsesAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), p_now);
    PERFORM cw_notify(r."teamId", r."requesterId", 'approval_lapsed', 'approval-lapsed:' || r."id",
      jsonb_build_object('requestId', r."id", 'projectId', r."projectId", 'modelName', r."modelName", 'quantity', r."quantity",
        'stage', r."stage"::text, 'estimate', r."estimate"), p_now);
    lapsed := lapsed + 1;
  END LOOP;
  RETURN lapsed;
END $$;
