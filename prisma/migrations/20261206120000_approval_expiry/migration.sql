-- Written by hand. Approvals that expire unused give their holds back inside the ledger, exactly once: lazily at the
-- start of each of the team's operations (cw_batch) and by a sweep any app instance may run (cw_sweep_approvals);
-- requests nobody decided in time lapse (cw_lapse_requests), telling their requester; an approval's hold is settled
-- only once it has been run, and settling or releasing it is audited (cw_batch); a premium final recorded without an
-- approval is flagged for the admins (cw_record_run). The functions replaced here are otherwise as the ledger_hardening migration left them.

-- CreateIndex
CREATE INDEX "ApprovalRequest_state_lapsesAt_idx" ON "ApprovalRequest"("state", "lapsesAt");

-- Expires up to p_limit (NULL: every one) of the team's approved requests whose approval has passed its expiry: the
-- held run released as an admin's release is (cw_release_run: its entry, the totals, the grants, the counters), the
-- request marked expired, audited, and its requester told. Callers hold the team's lock. A request another
-- transaction has locked (a run starting with that approval) is skipped, not waited for: that transaction decides it,
-- and a later operation or sweep expires it if it is still approved.
CREATE FUNCTION cw_expire_approvals(p_team TEXT, p_now TIMESTAMP(3), p_limit INT) RETURNS INT LANGUAGE plpgsql AS $$
DECLARE
  a RECORD;
  answer JSONB;
  released BOOLEAN;
  expired INT := 0;
BEGIN
  FOR a IN
    SELECT "id", "requesterId", "projectId", "holdRunId", "estimate", "modelName" FROM "ApprovalRequest"
      WHERE "teamId" = p_team AND "state" = 'approved' AND "expiresAt" <= p_now
      ORDER BY "expiresAt", "id"
      LIMIT p_limit
      FOR UPDATE SKIP LOCKED
  LOOP
    released := false;
    IF a."holdRunId" IS NOT NULL THEN
      -- A hold that already ended another way (its owner settled or released it) answers a conflict: nothing is left to give back.
      answer := cw_release_run(p_team, a."holdRunId", 'released', 'The approval expired unused.', NULL, true, NULL, NULL, p_now);
      released := answer ->> 'status' = 'released';
    END IF;
    UPDATE "ApprovalRequest" SET "state" = 'expired', "version" = "version" + 1, "updatedAt" = p_now WHERE "id" = a."id";
    INSERT INTO "AuditLog" ("id", "teamId", "actorId", "action", "targetType", "targetId", "details", "createdAt")
      VALUES ('aud_' || replace(gen_random_uuid()::text, '-', ''), p_team, NULL, 'approval.expired', 'approval_request', a."id",
        jsonb_build_object('runId', a."holdRunId", 'estimate', a."estimate", 'released', released), p_now);
    PERFORM cw_notify(p_team, a."requesterId", 'approval_expired', 'approval-expired:' || a."id",
      jsonb_build_object('requestId', a."id", 'projectId', a."projectId", 'modelName', a."modelName", 'estimate', a."estimate",
        'runId', a."holdRunId", 'released', released), p_now);
    expired := expired + 1;
  END LOOP;
  RETURN expired;
END $$;

-- One step of the sweep: the first team (p_team, or any) with approvals past their expiry whose totals row nobody
-- holds, locked, and up to p_limit of its approvals expired. A team in the middle of an operation is skipped: that
-- operation expires them itself, and two sweepers take different teams instead of queueing on one.
CREATE FUNCTION cw_sweep_approvals(p_team TEXT, p_now TIMESTAMP(3), p_limit INT) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  t TEXT;
BEGIN
  SELECT c."teamId" INTO t FROM "TeamCredits" c
    WHERE (p_team IS NULL OR c."teamId" = p_team)
      AND EXISTS (SELECT 1 FROM "ApprovalRequest" a WHERE a."teamId" = c."teamId" AND a."state" = 'approved' AND a."expiresAt" <= p_now)
    ORDER BY c."teamId"
    LIMIT 1
    FOR UPDATE SKIP LOCKED;
  IF t IS NULL THEN
    RETURN jsonb_build_object('teamId', NULL, 'expired', 0);
  END IF;
  RETURN jsonb_build_object('teamId', t, 'expired', cw_expire_approvals(t, p_now, p_limit));
END $$;

-- Up to p_limit requests (of p_team, or of any team) still pending past the moment they lapse: marked lapsed, audited,
-- and their requester told (kind "approval_lapsed"). A request being decided right now is locked and skipped: its
-- decision lapses it itself if it is late.
CREATE FUNCTION cw_lapse_requests(p_team TEXT, p_now TIMESTAMP(3), p_limit INT) RETURNS INT LANGUAGE plpgsql AS $$
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

-- record: a run that already happened on the platform. Nothing is refused for a budget, a limit
-- or the balance: usage past them is recorded as it was and flagged. Nor for the approval policy: a premium final
-- recorded (it never has an approval) is flagged for the admins.
CREATE OR REPLACE FUNCTION cw_record_run(
  p_team TEXT, p_run_id TEXT, p_project TEXT, p_user TEXT, p_key TEXT, p_hash TEXT, p_run JSONB,
  p_estimate INT, p_version INT, p_keys JSONB, p_actual INT, p_outcome TEXT, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  refusal JSONB;
  checked JSONB;
  over_limit JSONB;
  totals_before JSONB;
  draws JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'record', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  refusal := COALESCE(cw_refuse_amount(p_actual, 0, 'actual'), cw_refuse_amount(p_estimate, 0, 'quantity'),
    cw_refuse_project(p_team, p_project, false), cw_refuse_balance(p_team, -p_actual, 'actual'));
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  totals_before := cw_totals(p_team);
  PERFORM cw_expire_grants(p_team, p_now);
  checked := cw_check_limits(p_team, p_project, p_user, p_actual, p_keys);
  over_limit := CASE WHEN jsonb_typeof(checked -> 'denial') = 'object' THEN checked -> 'denial' END;
  PERFORM cw_insert_run(p_run_id, p_team, p_project, p_user, p_run, p_estimate, p_version, checked -> 'counters',
    '[]'::jsonb, 'settled', p_actual, p_outcome::"RunOutcome", over_limit IS NOT NULL, p_now);
  IF p_actual > 0 THEN
    draws := cw_take(p_team, p_actual, false);
    PERFORM cw_append(p_team, 'charge', -p_actual, 0, p_project, p_run_id, NULL, p_user, p_version, p_key,
      CASE WHEN over_limit IS NULL THEN '' ELSE 'Recorded past ' || (over_limit ->> 'limit') END, p_now, draws);
  END IF;
  PERFORM cw_count(p_team, checked -> 'counters', p_actual, p_now);
  IF over_limit IS NOT NULL THEN
    PERFORM cw_notify(p_team, NULL, 'over_budget', 'over-budget:' || p_run_id,
      jsonb_build_object('runId', p_run_id, 'projectId', p_project, 'actual', p_actual, 'denial', over_limit), p_now);
  END IF;
  IF p_run ->> 'stage' = 'final' AND p_run ->> 'tier' = 'premium' THEN
    PERFORM cw_notify(p_team, NULL, 'unapproved_premium_final', 'unapproved-premium-final:' || p_run_id,
      jsonb_build_object('runId', p_run_id, 'projectId', p_project, 'userId', p_user, 'modelName', p_run ->> 'modelName',
        'quantity', (p_run ->> 'quantity')::int, 'actual', p_actual), p_now);
  END IF;
  PERFORM cw_check_low_balance(p_team, totals_before, p_keys, p_now);
  response := jsonb_build_object('status', 'recorded', 'runId', p_run_id, 'estimate', p_estimate, 'actual', p_actual,
    'overrun', p_actual > p_estimate, 'overBudget', over_limit);
  PERFORM cw_remember(p_team, p_key, 'record', p_hash, response, p_now);
  RETURN response;
END $$;


-- The operations outside cw_batch (refund, grant, adjustment) expire due approvals first too, right after taking the
-- team's lock; otherwise as before.
-- refund: the platform gave credits back for a settled run.
CREATE OR REPLACE FUNCTION cw_refund_run(
  p_team TEXT, p_run_id TEXT, p_grant_id TEXT, p_credits INT, p_reason TEXT, p_actor TEXT, p_key TEXT, p_hash TEXT,
  p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "Run";
  replay JSONB;
  refusal JSONB;
  draws JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  PERFORM cw_expire_approvals(p_team, p_now, 100);
  replay := cw_replay(p_team, p_key, 'refund', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  SELECT * INTO r FROM "Run" WHERE "id" = p_run_id AND "teamId" = p_team;
  IF NOT FOUND THEN
    RETURN cw_error('not_found', NULL, 'That run does not exist in this team.');
  END IF;
  IF r."state" <> 'settled' THEN
    RETURN cw_error('conflict', NULL, 'Only a settled run can be refunded.');
  END IF;
  refusal := cw_refuse_amount(p_credits, 1, 'credits');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  IF p_credits > r."actual" - r."refunded" THEN
    RETURN cw_error('invalid', 'credits', format('At most %s credits of this run can still be refunded.',
      to_char(r."actual" - r."refunded", 'FM9,999,999,999')));
  END IF;
  refusal := cw_refuse_balance(p_team, p_credits, 'credits');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  PERFORM cw_expire_grants(p_team, p_now);
  draws := cw_new_grant(p_team, p_grant_id, p_credits, 'refund', p_reason, NULL, p_actor, p_now);
  PERFORM cw_append(p_team, 'refund', p_credits, 0, r."projectId", r."id", p_grant_id, p_actor, r."priceListVersion",
    p_key, p_reason, p_now, draws);
  PERFORM cw_count(p_team, r."counters", -p_credits, p_now);
  UPDATE "Run" SET "refunded" = "refunded" + p_credits WHERE "id" = r."id";
  response := jsonb_build_object('status', 'refunded', 'runId', r."id", 'credits', p_credits, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'refund', p_hash, response, p_now);
  RETURN response;
END $$;

-- grant: credits come in (monthly pool, top-up, promotion), optionally expiring.
CREATE OR REPLACE FUNCTION cw_add_grant(
  p_team TEXT, p_grant_id TEXT, p_amount INT, p_source TEXT, p_note TEXT, p_expires TIMESTAMP(3), p_actor TEXT,
  p_key TEXT, p_hash TEXT, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  refusal JSONB;
  draws JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  PERFORM cw_expire_approvals(p_team, p_now, 100);
  replay := cw_replay(p_team, p_key, 'grant', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  refusal := cw_refuse_amount(p_amount, 1, 'amount');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  PERFORM cw_expire_grants(p_team, p_now);
  refusal := cw_refuse_balance(p_team, p_amount, 'amount');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  draws := cw_new_grant(p_team, p_grant_id, p_amount, p_source, p_note, p_expires, p_actor, p_now);
  PERFORM cw_append(p_team, 'grant', p_amount, 0, NULL, NULL, p_grant_id, p_actor, NULL, p_key,
    trim(p_source || CASE WHEN COALESCE(p_note, '') = '' THEN '' ELSE ': ' || p_note END), p_now, draws);
  response := jsonb_build_object('status', 'granted', 'grantId', p_grant_id, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'grant', p_hash, response, p_now);
  RETURN response;
END $$;

-- adjustment: a correction with a reason. Positive adds never-expiring credits; negative takes
-- from grants as spending does. One that would take available credits below zero needs the
-- resulting figure confirmed (p_confirm_available); if the figure moved meanwhile, it asks again.
CREATE OR REPLACE FUNCTION cw_adjust(
  p_team TEXT, p_grant_id TEXT, p_amount INT, p_reason TEXT, p_actor TEXT, p_key TEXT, p_hash TEXT, p_confirm_available INT,
  p_keys JSONB, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  refusal JSONB;
  totals_before JSONB;
  available_after BIGINT;
  draws JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  PERFORM cw_expire_approvals(p_team, p_now, 100);
  replay := cw_replay(p_team, p_key, 'adjust', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  IF p_amount IS NULL OR p_amount = 0 OR abs(p_amount::bigint) > cw_max_credits() THEN
    RETURN cw_error('invalid', 'amount', 'A correction is a whole number of credits other than 0, at most 1,000,000,000 either way.');
  END IF;
  totals_before := cw_totals(p_team);
  PERFORM cw_expire_grants(p_team, p_now);
  refusal := cw_refuse_balance(p_team, p_amount, 'amount');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  SELECT "balance"::bigint - "held" + p_amount INTO available_after FROM "TeamCredits" WHERE "teamId" = p_team;
  IF p_amount < 0 AND available_after < 0 AND p_confirm_available IS DISTINCT FROM available_after THEN
    RETURN jsonb_build_object('status', 'confirm', 'availableAfter', available_after, 'balanceAfter',
      (SELECT "balance" + p_amount FROM "TeamCredits" WHERE "teamId" = p_team));
  END IF;
  IF p_amount > 0 THEN
    draws := cw_new_grant(p_team, p_grant_id, p_amount, 'adjustment', p_reason, NULL, p_actor, p_now);
  ELSE
    draws := cw_take(p_team, -p_amount, false);
  END IF;
  PERFORM cw_append(p_team, 'adjustment', p_amount, 0, NULL, NULL, CASE WHEN p_amount > 0 THEN p_grant_id END, p_actor,
    NULL, p_key, p_reason, p_now, draws);
  PERFORM cw_check_low_balance(p_team, totals_before, p_keys, p_now);
  response := jsonb_build_object('status', 'adjusted', 'amount', p_amount, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'adjust', p_hash, response, p_now);
  RETURN response;
END $$;

-- Each call first gives back the holds of the team's approvals that expired unused (at most 100 at a time; the sweep
-- does the rest), so the operation sees the credits they held. The end of an approval's hold is a step of its
-- request: settling or releasing the run an approval held writes "approval.settled" or "approval.released" to the
-- audit log in the same transaction (expiry writes "approval.expired" itself); a hold released before anyone ran it
-- (its requester or an admin freeing the credits early) ends the approval, and one not run yet cannot be settled.
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
      -- An approval's hold is settled once it has been run (the request used), not before.
      WHEN 'settle' THEN CASE WHEN EXISTS (SELECT 1 FROM "ApprovalRequest" a WHERE a."teamId" = c ->> 'team'
            AND a."holdRunId" = c ->> 'runId' AND a."state" = 'approved' AND a."expiresAt" > (c ->> 'now')::timestamp)
        THEN cw_error('conflict', NULL, 'These credits are held for an approval nobody has run yet. Run it from its request''s page first; if it is not needed, release the hold instead.')
        ELSE cw_settle_run(c ->> 'team', c ->> 'runId', (c ->> 'actual')::int, c ->> 'outcome', c ->> 'actor',
          (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', c -> 'keys', (c ->> 'now')::timestamp) END
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
