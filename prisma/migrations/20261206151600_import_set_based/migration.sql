-- Written by hand. An import's chunk recorded as a set instead of row by row, with exactly the ledger that recording
-- each row through cw_record_run in order would write.
--
-- Where the time went (scripts/profile-usage-import.ts, 462 µs a row): most of it was the team's few hot rows — its
-- totals (TeamCredits) and its grants, updated once per run, a thousand times in one transaction, each update one
-- more version for every later read of the row to step over — then one trigger call per inserted run for its day's
-- totals, one for its batch item, and per-row statements on the import's own rows.

-- A run's day counted once per statement for all the runs it inserted (a thousand in a chunk, one elsewhere), from
-- the statement's transition table; updates and deletes keep the row trigger (a trigger naming its columns cannot
-- have transition tables).
CREATE FUNCTION cw_usage_track_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "UsageDay" ("teamId", "day", "projectId", "userId", "modelId", "outputType", "tier", "stage", "state", "outcome",
      "runs", "estimate", "actual", "refunded", "overruns")
    SELECT r."teamId", d."day", r."projectId", r."userId", r."modelId", r."outputType",
        COALESCE(r."tier", ''), r."stage", r."state", COALESCE(r."outcome"::text, ''),
        COUNT(*), SUM(r."estimate"), SUM(COALESCE(r."actual", 0)), SUM(r."refunded"), COUNT(*) FILTER (WHERE r."overrun")
      FROM inserted_runs r CROSS JOIN LATERAL (SELECT cw_usage_day(r."teamId", r."createdAt") AS "day") d
      -- A run whose team is gone leaves nothing to count, as in cw_usage_add.
      WHERE d."day" IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ON CONFLICT ("teamId", "day", "projectId", "userId", "modelId", "outputType", "tier", "stage", "state", "outcome") DO UPDATE SET
    "runs" = "UsageDay"."runs" + EXCLUDED."runs",
    "estimate" = "UsageDay"."estimate" + EXCLUDED."estimate",
    "actual" = "UsageDay"."actual" + EXCLUDED."actual",
    "refunded" = "UsageDay"."refunded" + EXCLUDED."refunded",
    "overruns" = "UsageDay"."overruns" + EXCLUDED."overruns";
  RETURN NULL;
END $$;

DROP TRIGGER "Run_usage_days" ON "Run";
CREATE TRIGGER "Run_usage_days" AFTER DELETE OR UPDATE OF "teamId", "projectId", "userId", "modelId", "outputType",
    "tier", "stage", "state", "outcome", "estimate", "actual", "refunded", "overrun", "createdAt"
  ON "Run" FOR EACH ROW EXECUTE FUNCTION cw_usage_track();
CREATE TRIGGER "Run_usage_days_inserted" AFTER INSERT ON "Run" REFERENCING NEW TABLE AS inserted_runs
  FOR EACH STATEMENT EXECUTE FUNCTION cw_usage_track_inserted();

-- The batch item check only has work when the run names an item: asked in the trigger's condition, a run without one
-- costs no function call.
DROP TRIGGER "Run_batchItem_same_team" ON "Run";
CREATE TRIGGER "Run_batchItem_same_team" BEFORE INSERT OR UPDATE OF "batchItemId", "teamId", "projectId" ON "Run"
  FOR EACH ROW WHEN (NEW."batchItemId" IS NOT NULL) EXECUTE FUNCTION cw_check_run_batch_item();

-- What cw_record_runs buffered, written as sets: the runs, then their ledger entries in order (so entry ids keep the
-- order of the calls), the grants' remaining credits, the usage counters (p_used: { "counter|periodKey": { counter,
-- periodKey, used } }, the final figure of each counter that moved), the team's totals, and the alerts — each
-- once per dedupe key, with its outbox row, as cw_notify does.
CREATE FUNCTION cw_write_records(
  p_team TEXT, p_runs JSONB[], p_entries JSONB[], p_notes JSONB[], p_grant_ids TEXT[], p_grant_remaining INT[], p_used JSONB,
  p_balance INT, p_debt INT, p_updated TIMESTAMP(3)
) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(p_runs) > 0 THEN
    INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "settings",
        "quantity", "stage", "purpose", "estimate", "priceListVersion", "breakdown", "state", "actual", "outcome",
        "overrun", "overBudget", "externalId", "prompt", "notes", "counters", "allocations", "createdAt", "settledAt", "batchItemId")
      SELECT x ->> 'id', p_team, x ->> 'project', x ->> 'user', x -> 'run' ->> 'modelId', x -> 'run' ->> 'modelName',
          x -> 'run' ->> 'outputType', x -> 'run' ->> 'tier', COALESCE(x -> 'run' -> 'settings', '{}'::jsonb),
          (x -> 'run' ->> 'quantity')::int, (x -> 'run' ->> 'stage')::"RunStage", x -> 'run' ->> 'purpose',
          (x ->> 'estimate')::int, (x ->> 'version')::int, COALESCE(x -> 'run' ->> 'breakdown', ''), 'settled',
          (x ->> 'actual')::int, (x ->> 'outcome')::"RunOutcome", COALESCE((x ->> 'actual')::int > (x ->> 'estimate')::int, false),
          (x ->> 'overBudget')::boolean, x -> 'run' ->> 'externalId', COALESCE(x -> 'run' ->> 'prompt', ''),
          COALESCE(x -> 'run' ->> 'notes', ''), x -> 'counters', '[]'::jsonb, (x ->> 'now')::timestamp(3), (x ->> 'now')::timestamp(3),
          x -> 'run' ->> 'batchItemId'
        FROM unnest(p_runs) WITH ORDINALITY AS u(x, n) ORDER BY n;
  END IF;
  IF cardinality(p_entries) > 0 THEN
    INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter",
        "projectId", "runId", "grantId", "actorId", "priceListVersion", "idempotencyKey", "reason", "draws", "createdAt")
      SELECT p_team, 'charge', (x ->> 'amount')::int, 0, (x ->> 'balanceAfter')::int, (x ->> 'heldAfter')::int,
          (x ->> 'balanceAfter')::int - (x ->> 'heldAfter')::int, x ->> 'project', x ->> 'run', NULL, x ->> 'actor',
          (x ->> 'version')::int, NULL, x ->> 'reason', x -> 'draws', (x ->> 'now')::timestamp(3)
        FROM unnest(p_entries) WITH ORDINALITY AS u(x, n) ORDER BY n;
    UPDATE "TeamCredits" SET "balance" = p_balance, "updatedAt" = p_updated WHERE "teamId" = p_team;
  END IF;
  UPDATE "TeamCredits" SET "debt" = p_debt WHERE "teamId" = p_team AND "debt" <> p_debt;
  UPDATE "Grant" g SET "remaining" = x."remaining"
    FROM unnest(p_grant_ids, p_grant_remaining) AS x("id", "remaining")
    WHERE g."id" = x."id" AND g."teamId" = p_team AND g."remaining" <> x."remaining";
  INSERT INTO "UsageCounter" ("teamId", "counter", "periodKey", "used")
    SELECT p_team, c.value ->> 'counter', c.value ->> 'periodKey', (c.value ->> 'used')::bigint FROM jsonb_each(p_used) c
    ON CONFLICT ("teamId", "counter", "periodKey") DO UPDATE SET "used" = EXCLUDED."used";
  IF cardinality(p_notes) > 0 THEN
    WITH raised AS (
      INSERT INTO "Notification" ("id", "teamId", "userId", "kind", "dedupeKey", "data", "createdAt")
        SELECT 'ntf_' || replace(gen_random_uuid()::text, '-', ''), p_team, x ->> 'user', x ->> 'kind', x ->> 'key', x -> 'data',
            (x ->> 'now')::timestamp(3)
          FROM unnest(p_notes) WITH ORDINALITY AS u(x, n) ORDER BY n
        ON CONFLICT ("teamId", "dedupeKey") DO NOTHING
        RETURNING "id", "createdAt"
    )
    INSERT INTO "OutboxMessage" ("id", "teamId", "kind", "notificationId", "nextAttemptAt", "createdAt")
      SELECT 'out_' || replace(gen_random_uuid()::text, '-', ''), p_team, 'notification', raised."id", raised."createdAt", raised."createdAt"
        FROM raised;
  END IF;
END $$;

-- record, for many calls in order: answers what cw_record_run would answer to each, called once per call in that
-- order, and leaves exactly the ledger it would leave — the same runs (counters, over-budget flags), the same ledger
-- entries in the same order (balance, held and available after each, draws on the grants that expire first), the
-- same grants, counters, totals and debt, the same alerts once per dedupe key, the same daily totals. The team's
-- figures, its live grants and the counters the calls count in are read once and moved here, and everything is
-- written as sets at the end. A call off the common path — an idempotency key, a batch item, a refusal, a grant
-- due to expire at its date — is handed to cw_record_run itself, after writing what came before it, and the figures
-- are read again after it. p_calls: [{ runId, project, user, key?, hash, run, estimate, version, keys, actual,
-- outcome, now }]; p_keys and the rest as cw_record_run takes them.
CREATE FUNCTION cw_record_runs(p_team TEXT, p_calls JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  answers JSONB[] := '{}';
  loaded BOOLEAN := false;
  -- The team's figures as the calls so far left them.
  bal INT;
  hld INT;
  dbt INT;
  thr INT;
  updated TIMESTAMP(3);
  g_ids TEXT[];
  g_rem INT[];
  g_held INT[];
  g_first INT;
  next_expiry TIMESTAMP(3);
  known_projects TEXT[] := '{}';
  -- "counter|periodKey" → { counter, periodKey, used }: every counter read so far, and those that moved.
  used JSONB;
  moved JSONB;
  -- What is written at the end.
  runs JSONB[];
  entries JSONB[];
  notes JSONB[];
  -- One call.
  run_id TEXT;
  project TEXT;
  person TEXT;
  run JSONB;
  estimate INT;
  version INT;
  keys JSONB;
  actual INT;
  at TIMESTAMP(3);
  available_before INT;
  avail INT;
  denial JSONB;
  counters JSONB;
  usage JSONB;
  k TEXT;
  used_now BIGINT;
  after_used BIGINT;
  cap BIGINT;
  pct INT;
  lvl BIGINT;
  threshold INT;
  nkey TEXT;
  data JSONB;
  b "ProjectBudget";
  l "MemberLimit";
  draws JSONB;
  still INT;
  take INT;
  i INT;
  slow BOOLEAN;
BEGIN
  PERFORM cw_lock_credits(p_team);
  FOR c IN SELECT value FROM jsonb_array_elements(p_calls) LOOP
    IF NOT loaded THEN
      SELECT "balance", "held", "debt", "lowBalanceThreshold", "updatedAt" INTO bal, hld, dbt, thr, updated
        FROM "TeamCredits" WHERE "teamId" = p_team;
      SELECT COALESCE(array_agg("id" ORDER BY "expiresAt" ASC NULLS LAST, "createdAt", "id"), '{}'),
          COALESCE(array_agg("remaining" ORDER BY "expiresAt" ASC NULLS LAST, "createdAt", "id"), '{}'),
          COALESCE(array_agg("held" ORDER BY "expiresAt" ASC NULLS LAST, "createdAt", "id"), '{}'),
          min("expiresAt")
        INTO g_ids, g_rem, g_held, next_expiry
        FROM "Grant" WHERE "teamId" = p_team AND "expiredAt" IS NULL;
      g_first := 1;
      used := '{}';
      moved := '{}';
      runs := '{}';
      entries := '{}';
      notes := '{}';
      loaded := true;
    END IF;
    run_id := c ->> 'runId';
    project := c ->> 'project';
    person := c ->> 'user';
    run := c -> 'run';
    estimate := (c ->> 'estimate')::int;
    version := (c ->> 'version')::int;
    keys := c -> 'keys';
    actual := (c ->> 'actual')::int;
    at := (c ->> 'now')::timestamp;
    slow := c ->> 'key' IS NOT NULL OR run ->> 'batchItemId' IS NOT NULL
      -- cw_refuse_amount's bounds, asked here (it is not inlined): an amount it refuses goes to cw_record_run for its message.
      OR actual IS NULL OR actual < 0 OR actual > cw_max_credits() OR estimate IS NULL OR estimate < 0 OR estimate > cw_max_credits()
      OR bal::bigint - actual < -cw_max_credits() OR bal::bigint - actual > cw_max_credits()
      OR next_expiry <= at IS TRUE;
    IF NOT slow AND NOT (project = ANY (known_projects)) THEN
      IF EXISTS (SELECT 1 FROM "Project" WHERE "id" = project AND "teamId" = p_team) THEN
        known_projects := array_append(known_projects, project);
      ELSE
        slow := true;
      END IF;
    END IF;
    IF slow THEN
      PERFORM cw_write_records(p_team, runs, entries, notes, g_ids, g_rem, moved, bal, dbt, updated);
      loaded := false;
      answers := array_append(answers, cw_record_run(p_team, run_id, project, person, c ->> 'key', c ->> 'hash', run,
        estimate, version, keys, actual, c ->> 'outcome', at));
      CONTINUE;
    END IF;

    -- cw_check_limits: the team's available credits, then the project's budget, then the member's limits.
    available_before := bal - hld;
    avail := GREATEST(bal - hld, 0);
    denial := NULL;
    IF avail < actual THEN
      denial := jsonb_build_object('limit', 'team_balance', 'available', avail, 'needed', actual, 'shortfall', actual - avail);
    END IF;
    counters := '[]';
    SELECT * INTO b FROM "ProjectBudget" WHERE "projectId" = project AND "teamId" = p_team;
    IF FOUND THEN
      usage := cw_budget_usage(b, keys);
      k := (usage ->> 'counter') || '|' || (usage ->> 'periodKey');
      IF k IS NULL THEN
        RAISE EXCEPTION 'run % counts in % without a period key', run_id, usage ->> 'counter';
      END IF;
      IF NOT used ? k THEN
        used := used || jsonb_build_object(k, jsonb_build_object('counter', usage ->> 'counter', 'periodKey', usage ->> 'periodKey',
          'used', cw_used(p_team, usage)));
      END IF;
      used_now := (used -> k ->> 'used')::bigint;
      counters := counters || jsonb_build_array(usage);
      IF denial IS NULL AND b."hardCap" AND used_now + actual > b."credits" THEN
        denial := cw_shortfall('project_budget', b."credits", used_now, actual, usage ->> 'periodKey');
      END IF;
    END IF;
    FOR l IN
      SELECT * FROM "MemberLimit" WHERE "teamId" = p_team AND "userId" = person AND "scope" IN (project, 'team') ORDER BY "scope" DESC
    LOOP
      usage := cw_limit_usage(l, keys);
      k := (usage ->> 'counter') || '|' || (usage ->> 'periodKey');
      IF k IS NULL THEN
        RAISE EXCEPTION 'run % counts in % without a period key', run_id, usage ->> 'counter';
      END IF;
      IF NOT used ? k THEN
        used := used || jsonb_build_object(k, jsonb_build_object('counter', usage ->> 'counter', 'periodKey', usage ->> 'periodKey',
          'used', cw_used(p_team, usage)));
      END IF;
      used_now := (used -> k ->> 'used')::bigint;
      counters := counters || jsonb_build_array(usage);
      IF denial IS NULL AND used_now + actual > l."credits" THEN
        denial := cw_shortfall('member_limit', l."credits", used_now, actual, usage ->> 'periodKey') || jsonb_build_object('scope', l."scope");
      END IF;
    END LOOP;

    -- cw_insert_run, settled.
    runs := array_append(runs, jsonb_build_object('id', run_id, 'project', project, 'user', person, 'run', run,
      'estimate', estimate, 'version', version, 'counters', counters, 'actual', actual, 'outcome', c ->> 'outcome',
      'overBudget', denial IS NOT NULL, 'now', at));

    -- cw_take (spent from the grants that expire first; what none covers is debt), then cw_append.
    IF actual > 0 THEN
      draws := '[]';
      still := actual;
      i := g_first;
      WHILE still > 0 AND i <= cardinality(g_ids) LOOP
        IF g_rem[i] > g_held[i] THEN
          take := LEAST(still, g_rem[i] - g_held[i]);
          g_rem[i] := g_rem[i] - take;
          draws := draws || jsonb_build_array(jsonb_build_object('g', g_ids[i], 'r', -take));
          still := still - take;
        END IF;
        i := i + 1;
      END LOOP;
      -- Nothing gives credits back on this path: a grant with nothing free stays so.
      WHILE g_first <= cardinality(g_ids) AND g_rem[g_first] <= g_held[g_first] LOOP
        g_first := g_first + 1;
      END LOOP;
      IF still > 0 THEN
        dbt := dbt + still;
      END IF;
      bal := bal - actual;
      updated := at;
      entries := array_append(entries, jsonb_build_object('amount', -actual, 'balanceAfter', bal, 'heldAfter', hld,
        'project', project, 'run', run_id, 'actor', person, 'version', version,
        'reason', CASE WHEN denial IS NULL THEN '' ELSE 'Recorded past ' || (denial ->> 'limit') END, 'now', at, 'draws', draws));

      -- cw_count: the counters move, and every threshold the rise crossed raises its alert.
      FOR usage IN SELECT value FROM jsonb_array_elements(counters) LOOP
        k := (usage ->> 'counter') || '|' || (usage ->> 'periodKey');
        used_now := (used -> k ->> 'used')::bigint;
        after_used := used_now + actual;
        used := jsonb_set(used, ARRAY[k, 'used'], to_jsonb(after_used));
        moved := moved || jsonb_build_object(k, used -> k);
        cap := (usage ->> 'limit')::bigint;
        pct := COALESCE((usage ->> 'alertPercent')::int, 80);
        CONTINUE WHEN cap IS NULL OR cap <= 0;
        FOREACH threshold IN ARRAY CASE WHEN pct < 100 THEN ARRAY[pct, 100] ELSE ARRAY[100] END LOOP
          lvl := (cap * threshold + 99) / 100;
          CONTINUE WHEN NOT (used_now < lvl AND after_used >= lvl);
          nkey := format('%s:%s:%s:%s', usage ->> 'counter', usage ->> 'periodKey', cap, threshold);
          data := jsonb_build_object('counter', usage ->> 'counter', 'periodKey', usage ->> 'periodKey', 'limit', cap, 'used', after_used,
            'threshold', threshold, 'projectId', usage ->> 'projectId', 'userId', usage ->> 'userId', 'scope', usage ->> 'scope');
          IF usage ->> 'kind' = 'project_budget' THEN
            notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'budget_threshold', 'key', 'budget:' || nkey, 'data', data, 'now', at));
          ELSE
            notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'limit_threshold', 'key', 'limit:' || nkey, 'data', data, 'now', at));
            notes := array_append(notes, jsonb_build_object('user', usage ->> 'userId', 'kind', 'limit_threshold',
              'key', 'limit:' || nkey || ':self', 'data', data, 'now', at));
          END IF;
        END LOOP;
      END LOOP;
    END IF;

    IF denial IS NOT NULL THEN
      notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'over_budget', 'key', 'over-budget:' || run_id,
        'data', jsonb_build_object('runId', run_id, 'projectId', project, 'actual', actual, 'denial', denial), 'now', at));
    END IF;
    IF run ->> 'stage' = 'final' AND run ->> 'tier' = 'premium' THEN
      notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'unapproved_premium_final',
        'key', 'unapproved-premium-final:' || run_id,
        'data', jsonb_build_object('runId', run_id, 'projectId', project, 'userId', person, 'modelName', run ->> 'modelName',
          'quantity', (run ->> 'quantity')::int, 'actual', actual), 'now', at));
    END IF;
    -- cw_check_low_balance.
    IF thr IS NOT NULL AND available_before >= thr AND bal - hld < thr THEN
      notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'low_balance',
        'key', format('low-balance:%s:%s', thr, keys ->> 'month'),
        'data', jsonb_build_object('threshold', thr, 'available', bal - hld), 'now', at));
    END IF;
    answers := array_append(answers, jsonb_build_object('status', 'recorded', 'runId', run_id, 'estimate', estimate,
      'actual', actual, 'overrun', actual > estimate, 'overBudget', denial));
  END LOOP;
  IF loaded THEN
    PERFORM cw_write_records(p_team, runs, entries, notes, g_ids, g_rem, moved, bal, dbt, updated);
  END IF;
  RETURN to_jsonb(answers);
END $$;

-- The calls of an import's rows recorded by cw_record_runs, and each row marked with its answer: imported, with its
-- fingerprint written beside its run, or refused with the ledger's message. Answers [imported, refused].
CREATE FUNCTION cw_import_record(p_team TEXT, p_job TEXT, p_lines INT[], p_prints TEXT[], p_calls JSONB[], p_now TIMESTAMP(3))
RETURNS INT[] LANGUAGE plpgsql AS $$
DECLARE
  answers JSONB;
  imported INT;
BEGIN
  IF cardinality(p_calls) = 0 THEN
    RETURN ARRAY[0, 0];
  END IF;
  answers := cw_record_runs(p_team, to_jsonb(p_calls));
  WITH x AS (
    SELECT l."line", l."print", a.value AS "answer"
      FROM unnest(p_lines, p_prints) WITH ORDINALITY AS l("line", "print", n)
      JOIN jsonb_array_elements(answers) WITH ORDINALITY AS a(value, n) ON a.n = l.n
  ), marks AS (
    INSERT INTO "ImportFingerprint" ("teamId", "fingerprint", "runId", "jobId", "createdAt")
      SELECT p_team, x."print", x."answer" ->> 'runId', p_job, p_now FROM x WHERE x."answer" ->> 'status' = 'recorded'
  )
  UPDATE "ImportRow" i SET
      "status" = CASE WHEN x."answer" ->> 'status' = 'recorded' THEN 'imported'::"ImportRowStatus" ELSE 'refused'::"ImportRowStatus" END,
      "reason" = CASE WHEN x."answer" ->> 'status' = 'recorded' THEN '' ELSE COALESCE(x."answer" ->> 'message', 'The ledger refused this row.') END,
      "runId" = CASE WHEN x."answer" ->> 'status' = 'recorded' THEN x."answer" ->> 'runId' ELSE i."runId" END
    FROM x WHERE i."jobId" = p_job AND i."line" = x."line";
  SELECT count(*) FILTER (WHERE a.value ->> 'status' = 'recorded') INTO imported FROM jsonb_array_elements(answers) a;
  RETURN ARRAY[imported, cardinality(p_calls) - imported];
END $$;

-- One chunk of an import's rows in one transaction, as before (the team's lock taken once, due approvals expired
-- once, each pending row's answer as if the rows were taken one by one in the order given), now as sets: a row whose
-- fingerprint the team already has is present, one the application skipped or refused is marked so, and the others
-- are recorded together by cw_record_runs. Only a row sharing its fingerprint with another row of the chunk waits for
-- the rows before it to be recorded, to know whether it is present by then.
CREATE OR REPLACE FUNCTION cw_import_chunk(p_team TEXT, p_job TEXT, p_rows JSONB, p_now TIMESTAMP(3)) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
  marked_lines INT[] := '{}';
  marked_statuses TEXT[] := '{}';
  marked_reasons TEXT[] := '{}';
  call_lines INT[] := '{}';
  call_prints TEXT[] := '{}';
  calls JSONB[] := '{}';
  counted INT[];
  n_imported INT := 0;
  n_present INT := 0;
  n_skipped INT := 0;
  n_refused INT := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "ImportJob" WHERE "id" = p_job AND "teamId" = p_team AND "status" = 'running') THEN
    RETURN cw_error('not_found', NULL, 'That import is not running in this team.');
  END IF;
  PERFORM cw_lock_credits(p_team);
  PERFORM cw_expire_approvals(p_team, p_now, 100);
  PERFORM 1 FROM "ImportRow"
    WHERE "jobId" = p_job AND "line" IN (SELECT (value ->> 'line')::int FROM jsonb_array_elements(p_rows))
    ORDER BY "line" FOR UPDATE;
  FOR r IN
    SELECT s."item", s."line", s."print",
        EXISTS (SELECT 1 FROM "ImportFingerprint" f WHERE f."teamId" = p_team AND f."fingerprint" = s."print") AS "known",
        count(*) OVER (PARTITION BY s."print") > 1 AS "shared"
      FROM (
        SELECT x.value AS "item", (x.value ->> 'line')::int AS "line", x.value ->> 'fingerprint' AS "print", x.n,
            row_number() OVER (PARTITION BY (x.value ->> 'line')::int ORDER BY x.n) AS "nth"
          FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS x(value, n)
          -- The status compared as text: each row is found by its line (the primary key), never through the index on
          -- (job, status, line), whose pending entries are mostly dead during an import (a reused plan would scan them all).
          JOIN "ImportRow" i ON i."jobId" = p_job AND i."line" = (x.value ->> 'line')::int AND i."status"::text = 'pending'
      ) s
      WHERE s."nth" = 1
      ORDER BY s.n
  LOOP
    -- A row whose fingerprint an earlier row of this chunk may have written: those rows are recorded first.
    IF r."shared" AND NOT r."known" THEN
      IF cardinality(calls) > 0 THEN
        counted := cw_import_record(p_team, p_job, call_lines, call_prints, calls, p_now);
        n_imported := n_imported + counted[1];
        n_refused := n_refused + counted[2];
        call_lines := '{}';
        call_prints := '{}';
        calls := '{}';
      END IF;
      r."known" := EXISTS (SELECT 1 FROM "ImportFingerprint" f WHERE f."teamId" = p_team AND f."fingerprint" = r."print");
    END IF;
    IF r."known" THEN
      marked_lines := array_append(marked_lines, r."line");
      marked_statuses := array_append(marked_statuses, 'present');
      marked_reasons := array_append(marked_reasons, '');
      n_present := n_present + 1;
    ELSIF r."item" ->> 'skip' IS NOT NULL THEN
      marked_lines := array_append(marked_lines, r."line");
      marked_statuses := array_append(marked_statuses, 'skipped');
      marked_reasons := array_append(marked_reasons, r."item" ->> 'skip');
      n_skipped := n_skipped + 1;
    ELSIF r."item" ->> 'refuse' IS NOT NULL OR r."item" -> 'call' IS NULL THEN
      marked_lines := array_append(marked_lines, r."line");
      marked_statuses := array_append(marked_statuses, 'refused');
      marked_reasons := array_append(marked_reasons, COALESCE(r."item" ->> 'refuse', 'This row could not be read.'));
      n_refused := n_refused + 1;
    ELSE
      -- No idempotency key: the fingerprint is what makes a row count once (idempotency records are pruned after
      -- 7 days by their createdAt, which for an imported run is the row's own, often older, date).
      call_lines := array_append(call_lines, r."line");
      call_prints := array_append(call_prints, r."print");
      calls := array_append(calls, (r."item" -> 'call') - 'key');
    END IF;
  END LOOP;
  counted := cw_import_record(p_team, p_job, call_lines, call_prints, calls, p_now);
  n_imported := n_imported + counted[1];
  n_refused := n_refused + counted[2];
  UPDATE "ImportRow" i SET "status" = x."status"::"ImportRowStatus", "reason" = x."reason"
    FROM unnest(marked_lines, marked_statuses, marked_reasons) AS x("line", "status", "reason")
    WHERE i."jobId" = p_job AND i."line" = x."line";
  UPDATE "ImportJob" SET "doneRows" = "doneRows" + n_imported + n_present + n_skipped + n_refused,
      "imported" = "imported" + n_imported, "present" = "present" + n_present,
      "skipped" = "skipped" + n_skipped, "refused" = "refused" + n_refused
    WHERE "id" = p_job;
  RETURN jsonb_build_object('status', 'ok', 'imported', n_imported, 'present', n_present, 'skipped', n_skipped, 'refused', n_refused);
END $$;
