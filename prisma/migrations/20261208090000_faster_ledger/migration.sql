-- A faster ledger (issue 13). Same answers, same locks, less work per operation.
--
-- Small helpers written in LANGUAGE sql are not inlined where the ledger calls them (from PL/pgSQL, or with a body
-- that reads a table or calls a stable function such as format or jsonb_build_object), so each call ran the SQL
-- function executor, which plans its body again in every transaction: 20–80 µs a call, a third of an admit+settle
-- pair's time in the database (track_functions). In PL/pgSQL their plans are kept for the session.

CREATE OR REPLACE FUNCTION cw_usage_day(p_team TEXT, p_at TIMESTAMP(3)) RETURNS DATE LANGUAGE plpgsql STABLE AS $$
DECLARE
  zone TEXT;
BEGIN
  SELECT t."timeZone" INTO zone FROM "Team" t WHERE t."id" = p_team;
  IF zone IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN ((p_at AT TIME ZONE 'UTC') AT TIME ZONE zone)::date;
END $$;

CREATE OR REPLACE FUNCTION cw_totals(p_team TEXT) RETURNS JSONB LANGUAGE plpgsql STABLE AS $$
DECLARE
  c "TeamCredits";
BEGIN
  SELECT * INTO c FROM "TeamCredits" WHERE "teamId" = p_team;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN jsonb_build_object('balance', c."balance", 'held', c."held", 'available', c."balance" - c."held", 'debt', c."debt",
    'lowBalanceThreshold', c."lowBalanceThreshold");
END $$;

CREATE OR REPLACE FUNCTION cw_used(p_team TEXT, p_usage JSONB) RETURNS BIGINT LANGUAGE plpgsql STABLE AS $$
DECLARE
  used BIGINT;
BEGIN
  SELECT u."used" INTO used FROM "UsageCounter" u
    WHERE u."teamId" = p_team AND u."counter" = p_usage ->> 'counter' AND u."periodKey" = p_usage ->> 'periodKey';
  RETURN COALESCE(used, 0);
END $$;

CREATE OR REPLACE FUNCTION cw_refuse_amount(p_amount INT, p_min INT, p_field TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_amount IS NOT NULL AND p_amount >= p_min AND p_amount <= cw_max_credits() THEN
    RETURN NULL;
  END IF;
  RETURN cw_error('invalid', p_field, format('Enter a whole number of credits from %s to %s.', p_min, to_char(cw_max_credits(), 'FM9,999,999,999')));
END $$;

CREATE OR REPLACE FUNCTION cw_period_key(p_keys JSONB, p_period "BudgetPeriod", p_week_start INT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN CASE p_period
    WHEN 'lifetime' THEN 'lifetime'
    WHEN 'month' THEN p_keys ->> 'month'
    ELSE p_keys ->> ('week-' || p_week_start)
  END;
END $$;

CREATE OR REPLACE FUNCTION cw_budget_usage(b "ProjectBudget", p_keys JSONB) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN jsonb_build_object('counter', cw_project_counter(b."projectId"), 'periodKey', cw_period_key(p_keys, b."period", b."weekStartsOn"),
    'kind', 'project_budget', 'limit', b."credits", 'alertPercent', b."alertPercent", 'hardCap', b."hardCap", 'projectId', b."projectId");
END $$;

CREATE OR REPLACE FUNCTION cw_limit_usage(l "MemberLimit", p_keys JSONB) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN jsonb_build_object('counter', cw_member_counter(l."scope", l."userId"), 'periodKey', cw_period_key(p_keys, l."period", l."weekStartsOn"),
    'kind', 'member_limit', 'limit', l."credits", 'alertPercent', 80, 'hardCap', true, 'userId', l."userId", 'scope', l."scope");
END $$;

-- A group of calls (lib/ledger/batch.ts) comes sorted by team: a call of the team the previous call locked needs no
-- second lock, and approvals are only swept when one is due (an index probe instead of a function call).
CREATE OR REPLACE FUNCTION cw_batch(p_calls JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  answer JSONB;
  answers JSONB := '[]'::jsonb;
  locked TEXT := NULL;
BEGIN
  FOR c IN SELECT value FROM jsonb_array_elements(p_calls) LOOP
    IF c ->> 'team' IS NOT NULL AND c ->> 'now' IS NOT NULL THEN
      IF locked IS DISTINCT FROM c ->> 'team' THEN
        PERFORM cw_lock_credits(c ->> 'team');
        locked := c ->> 'team';
      END IF;
      IF EXISTS (SELECT 1 FROM "ApprovalRequest" a WHERE a."teamId" = c ->> 'team' AND a."state" = 'approved'
          AND a."expiresAt" <= (c ->> 'now')::timestamp) THEN
        PERFORM cw_expire_approvals(c ->> 'team', (c ->> 'now')::timestamp, 100);
      END IF;
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
