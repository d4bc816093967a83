-- An import's rows are usage that happened on the platform at their own dates: each run keeps its row's date (its
-- day's totals, its budget period), but its ledger entry and the alerts it raises are dated when the import records
-- them, so the ledger's "balance after" reads in order and the alerts are not filed weeks back. An import's calls
-- are also quiet per run (no "over budget" or "premium final without approval" alert for each of thousands of
-- rows): the import's report counts them instead, and its end raises one alert. Calls without these fields record
-- exactly as before.
CREATE OR REPLACE FUNCTION cw_record_runs(p_team TEXT, p_calls JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  -- An import's call: dated at its row (the run), recorded now (its ledger entry and alerts), and quiet per run.
  stamp TIMESTAMP(3);
  quiet BOOLEAN;
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
    stamp := COALESCE((c ->> 'recordedAt')::timestamp, at);
    quiet := COALESCE((c ->> 'quiet')::boolean, false);
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
      updated := stamp;
      entries := array_append(entries, jsonb_build_object('amount', -actual, 'balanceAfter', bal, 'heldAfter', hld,
        'project', project, 'run', run_id, 'actor', person, 'version', version,
        'reason', CASE WHEN denial IS NULL THEN '' ELSE 'Recorded past ' || (denial ->> 'limit') END, 'now', stamp, 'draws', draws));

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
            notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'budget_threshold', 'key', 'budget:' || nkey, 'data', data, 'now', stamp));
          ELSE
            notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'limit_threshold', 'key', 'limit:' || nkey, 'data', data, 'now', stamp));
            notes := array_append(notes, jsonb_build_object('user', usage ->> 'userId', 'kind', 'limit_threshold',
              'key', 'limit:' || nkey || ':self', 'data', data, 'now', stamp));
          END IF;
        END LOOP;
      END LOOP;
    END IF;

    IF denial IS NOT NULL AND NOT quiet THEN
      notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'over_budget', 'key', 'over-budget:' || run_id,
        'data', jsonb_build_object('runId', run_id, 'projectId', project, 'actual', actual, 'denial', denial), 'now', stamp));
    END IF;
    IF run ->> 'stage' = 'final' AND run ->> 'tier' = 'premium' AND NOT quiet THEN
      notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'unapproved_premium_final',
        'key', 'unapproved-premium-final:' || run_id,
        'data', jsonb_build_object('runId', run_id, 'projectId', project, 'userId', person, 'modelName', run ->> 'modelName',
          'quantity', (run ->> 'quantity')::int, 'actual', actual), 'now', stamp));
    END IF;
    -- cw_check_low_balance.
    IF thr IS NOT NULL AND available_before >= thr AND bal - hld < thr THEN
      notes := array_append(notes, jsonb_build_object('user', NULL, 'kind', 'low_balance',
        'key', format('low-balance:%s:%s', thr, keys ->> 'month'),
        'data', jsonb_build_object('threshold', thr, 'available', bal - hld), 'now', stamp));
    END IF;
    answers := array_append(answers, jsonb_build_object('status', 'recorded', 'runId', run_id, 'estimate', estimate,
      'actual', actual, 'overrun', actual > estimate, 'overBudget', denial));
  END LOOP;
  IF loaded THEN
    PERFORM cw_write_records(p_team, runs, entries, notes, g_ids, g_rem, moved, bal, dbt, updated);
  END IF;
  RETURN to_jsonb(answers);
END $$;
