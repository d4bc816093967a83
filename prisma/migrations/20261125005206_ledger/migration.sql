-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('grant', 'hold', 'release', 'charge', 'refund', 'adjustment', 'expiry');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('lifetime', 'month', 'week');

-- CreateEnum
CREATE TYPE "RunStage" AS ENUM ('test', 'draft', 'final');

-- CreateEnum
CREATE TYPE "RunState" AS ENUM ('held', 'settled', 'released', 'failed');

-- CreateEnum
CREATE TYPE "RunOutcome" AS ENUM ('accepted', 'rejected', 'needs_edit', 'failed');

-- CreateTable
CREATE TABLE "TeamCredits" (
    "teamId" TEXT NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "held" INTEGER NOT NULL DEFAULT 0,
    "lowBalanceThreshold" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamCredits_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMP(3),
    "expiredAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "teamId" TEXT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "amount" INTEGER NOT NULL,
    "heldDelta" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "heldAfter" INTEGER NOT NULL,
    "availableAfter" INTEGER NOT NULL,
    "projectId" TEXT,
    "runId" TEXT,
    "grantId" TEXT,
    "actorId" TEXT,
    "priceListVersion" INTEGER,
    "idempotencyKey" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectBudget" (
    "projectId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "period" "BudgetPeriod" NOT NULL DEFAULT 'lifetime',
    "weekStartsOn" INTEGER NOT NULL DEFAULT 1,
    "alertPercent" INTEGER NOT NULL DEFAULT 80,
    "hardCap" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectBudget_pkey" PRIMARY KEY ("projectId")
);

-- CreateTable
CREATE TABLE "MemberLimit" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "period" "BudgetPeriod" NOT NULL DEFAULT 'month',
    "weekStartsOn" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberLimit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageCounter" (
    "counter" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UsageCounter_pkey" PRIMARY KEY ("counter","periodKey")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelName" TEXT NOT NULL,
    "outputType" TEXT NOT NULL,
    "tier" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "quantity" INTEGER NOT NULL,
    "stage" "RunStage" NOT NULL,
    "purpose" TEXT NOT NULL,
    "estimate" INTEGER NOT NULL,
    "priceListVersion" INTEGER NOT NULL,
    "breakdown" TEXT NOT NULL DEFAULT '',
    "state" "RunState" NOT NULL,
    "actual" INTEGER,
    "refunded" INTEGER NOT NULL DEFAULT 0,
    "outcome" "RunOutcome",
    "overrun" BOOLEAN NOT NULL DEFAULT false,
    "overBudget" BOOLEAN NOT NULL DEFAULT false,
    "externalId" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "counters" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "teamId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("teamId","key")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "userId" TEXT,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),
    "emailedAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Grant_teamId_expiresAt_idx" ON "Grant"("teamId", "expiresAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_teamId_id_idx" ON "LedgerEntry"("teamId", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_teamId_createdAt_idx" ON "LedgerEntry"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_runId_idx" ON "LedgerEntry"("runId");

-- CreateIndex
CREATE INDEX "ProjectBudget_teamId_idx" ON "ProjectBudget"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "MemberLimit_teamId_userId_scope_key" ON "MemberLimit"("teamId", "userId", "scope");

-- CreateIndex
CREATE INDEX "UsageCounter_teamId_idx" ON "UsageCounter"("teamId");

-- CreateIndex
CREATE INDEX "Run_teamId_createdAt_idx" ON "Run"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_projectId_createdAt_idx" ON "Run"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_teamId_state_idx" ON "Run"("teamId", "state");

-- CreateIndex
CREATE INDEX "Notification_teamId_createdAt_idx" ON "Notification"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_teamId_dedupeKey_key" ON "Notification"("teamId", "dedupeKey");

-- AddForeignKey
ALTER TABLE "TeamCredits" ADD CONSTRAINT "TeamCredits_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectBudget" ADD CONSTRAINT "ProjectBudget_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectBudget" ADD CONSTRAINT "ProjectBudget_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberLimit" ADD CONSTRAINT "MemberLimit_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberLimit" ADD CONSTRAINT "MemberLimit_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageCounter" ADD CONSTRAINT "UsageCounter_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- The ledger is append-only: corrections are new entries, never edits.
-- ---------------------------------------------------------------------------
CREATE FUNCTION cw_refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LedgerEntry is append-only: % is not allowed; record a correcting entry instead', TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER "LedgerEntry_append_only" BEFORE UPDATE OR DELETE ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION cw_refuse_ledger_change();
CREATE TRIGGER "LedgerEntry_no_truncate" BEFORE TRUNCATE ON "LedgerEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION cw_refuse_ledger_change();

-- ---------------------------------------------------------------------------
-- Credit operations. Each runs as one statement (so one transaction and one
-- round trip) and first locks the team's TeamCredits row: a team's operations
-- happen one after another, which is what makes the budget check and the hold
-- atomic, the running totals on each entry exact, and idempotency keys
-- answer once. The application computes prices and period keys (lib/pricing,
-- lib/ledger/periods) and passes them in; these functions only count.
-- ---------------------------------------------------------------------------

-- The team's totals row, locked; created on first use.
CREATE FUNCTION cw_lock_credits(p_team TEXT) RETURNS "TeamCredits" LANGUAGE plpgsql AS $$
DECLARE
  c "TeamCredits";
BEGIN
  SELECT * INTO c FROM "TeamCredits" WHERE "teamId" = p_team FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO "TeamCredits" ("teamId") VALUES (p_team) ON CONFLICT DO NOTHING;
    SELECT * INTO c FROM "TeamCredits" WHERE "teamId" = p_team FOR UPDATE;
  END IF;
  RETURN c;
END $$;

-- Appends one entry and moves the team's totals with it.
CREATE FUNCTION cw_append(
  p_team TEXT, p_kind "LedgerKind", p_amount INT, p_held INT, p_project TEXT, p_run TEXT, p_grant TEXT,
  p_actor TEXT, p_version INT, p_key TEXT, p_reason TEXT, p_now TIMESTAMP(3)
) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  b INT;
  h INT;
  entry_id BIGINT;
BEGIN
  UPDATE "TeamCredits" SET "balance" = "balance" + p_amount, "held" = "held" + p_held, "updatedAt" = p_now
    WHERE "teamId" = p_team RETURNING "balance", "held" INTO b, h;
  INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter",
      "projectId", "runId", "grantId", "actorId", "priceListVersion", "idempotencyKey", "reason", "createdAt")
    VALUES (p_team, p_kind, p_amount, p_held, b, h, b - h, p_project, p_run, p_grant, p_actor, p_version, p_key,
      COALESCE(p_reason, ''), p_now)
    RETURNING "id" INTO entry_id;
  RETURN entry_id;
END $$;

-- The first answer given to this key, or a conflict if the key came with another request.
CREATE FUNCTION cw_replay(p_team TEXT, p_key TEXT, p_operation TEXT, p_hash TEXT) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "IdempotencyRecord";
BEGIN
  IF p_key IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT * INTO r FROM "IdempotencyRecord" WHERE "teamId" = p_team AND "key" = p_key;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF r."operation" <> p_operation OR r."requestHash" <> p_hash THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'conflict',
      'message', 'This idempotency key was already used for a different request.');
  END IF;
  RETURN r."response" || jsonb_build_object('replayed', true);
END $$;

CREATE FUNCTION cw_remember(p_team TEXT, p_key TEXT, p_operation TEXT, p_hash TEXT, p_response JSONB, p_now TIMESTAMP(3))
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF p_key IS NOT NULL THEN
    INSERT INTO "IdempotencyRecord" ("teamId", "key", "operation", "requestHash", "response", "createdAt")
      VALUES (p_team, p_key, p_operation, p_hash, p_response, p_now);
  END IF;
END $$;

-- Takes credits from the grants that expire first (never-expiring ones last). What no grant
-- covers stays as a negative balance, which the next grant pays off first.
CREATE FUNCTION cw_consume_grants(p_team TEXT, p_amount INT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
  still INT := p_amount;
  take INT;
BEGIN
  FOR g IN
    SELECT "id", "remaining" FROM "Grant"
      WHERE "teamId" = p_team AND "remaining" > 0 AND "expiredAt" IS NULL
      ORDER BY "expiresAt" ASC NULLS LAST, "createdAt", "id"
  LOOP
    EXIT WHEN still <= 0;
    take := LEAST(still, g."remaining");
    UPDATE "Grant" SET "remaining" = "remaining" - take WHERE "id" = g."id";
    still := still - take;
  END LOOP;
END $$;

-- Adds credits as a grant row; a negative balance (debt from an overrun) is paid off first.
CREATE FUNCTION cw_new_grant(
  p_team TEXT, p_id TEXT, p_amount INT, p_source TEXT, p_note TEXT, p_expires TIMESTAMP(3), p_actor TEXT, p_now TIMESTAMP(3)
) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  debt INT;
BEGIN
  SELECT GREATEST(0, -"balance") INTO debt FROM "TeamCredits" WHERE "teamId" = p_team;
  INSERT INTO "Grant" ("id", "teamId", "amount", "remaining", "source", "note", "expiresAt", "createdById", "createdAt")
    VALUES (p_id, p_team, p_amount, p_amount - LEAST(p_amount, debt), p_source, COALESCE(p_note, ''), p_expires, p_actor, p_now);
END $$;

-- Writes off, once, what is left of every grant whose expiry has passed.
CREATE FUNCTION cw_expire_grants(p_team TEXT, p_now TIMESTAMP(3)) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
BEGIN
  FOR g IN
    SELECT "id", "remaining" FROM "Grant"
      WHERE "teamId" = p_team AND "expiredAt" IS NULL AND "expiresAt" <= p_now
      ORDER BY "expiresAt", "id"
  LOOP
    UPDATE "Grant" SET "expiredAt" = p_now, "remaining" = 0 WHERE "id" = g."id";
    IF g."remaining" > 0 THEN
      PERFORM cw_append(p_team, 'expiry', -g."remaining", 0, NULL, NULL, g."id", NULL, NULL, NULL, 'Grant expired', p_now);
    END IF;
  END LOOP;
END $$;

CREATE FUNCTION cw_period_key(p_keys JSONB, p_period "BudgetPeriod", p_week_start INT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_period
    WHEN 'lifetime' THEN 'lifetime'
    WHEN 'month' THEN p_keys ->> 'month'
    ELSE p_keys ->> ('week-' || p_week_start)
  END
$$;

-- What a spend of p_amount would go past, as an answer for the person.
CREATE FUNCTION cw_shortfall(p_limit TEXT, p_budget INT, p_used INT, p_amount INT, p_key TEXT) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('limit', p_limit, 'budget', p_budget, 'used', p_used,
    'remaining', GREATEST(p_budget - p_used, 0), 'needed', p_amount, 'shortfall', p_used + p_amount - p_budget, 'periodKey', p_key)
$$;

-- The budget and limits a spend by p_user in p_project counts against with their use so far,
-- and the first limit p_amount would break (null if none): the team's available credits first,
-- then the project's budget, then the member's limits. Callers hold the team's lock.
CREATE FUNCTION cw_check_limits(p_team TEXT, p_project TEXT, p_user TEXT, p_amount INT, p_keys JSONB)
RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  b "ProjectBudget";
  l "MemberLimit";
  k TEXT;
  counter_name TEXT;
  used_now INT;
  available INT;
  counters JSONB := '[]'::jsonb;
  denial JSONB := NULL;
BEGIN
  SELECT GREATEST("balance" - "held", 0) INTO available FROM "TeamCredits" WHERE "teamId" = p_team;
  IF available < p_amount THEN
    denial := jsonb_build_object('limit', 'team_balance', 'available', available, 'needed', p_amount,
      'shortfall', p_amount - available);
  END IF;
  SELECT * INTO b FROM "ProjectBudget" WHERE "projectId" = p_project AND "teamId" = p_team;
  IF FOUND THEN
    k := cw_period_key(p_keys, b."period", b."weekStartsOn");
    counter_name := 'project:' || p_project;
    SELECT COALESCE(MAX(u."used"), 0) INTO used_now FROM "UsageCounter" u WHERE u."counter" = counter_name AND u."periodKey" = k;
    counters := counters || jsonb_build_array(jsonb_build_object('counter', counter_name, 'periodKey', k, 'kind', 'project_budget',
      'limit', b."credits", 'alertPercent', b."alertPercent", 'hardCap', b."hardCap", 'used', used_now, 'projectId', p_project));
    IF denial IS NULL AND b."hardCap" AND used_now + p_amount > b."credits" THEN
      denial := cw_shortfall('project_budget', b."credits", used_now, p_amount, k);
    END IF;
  END IF;
  FOR l IN
    SELECT * FROM "MemberLimit" WHERE "teamId" = p_team AND "userId" = p_user AND "scope" IN (p_project, 'team') ORDER BY "scope" DESC
  LOOP
    k := cw_period_key(p_keys, l."period", l."weekStartsOn");
    counter_name := 'member:' || l."scope" || ':' || p_user;
    SELECT COALESCE(MAX(u."used"), 0) INTO used_now FROM "UsageCounter" u WHERE u."counter" = counter_name AND u."periodKey" = k;
    counters := counters || jsonb_build_array(jsonb_build_object('counter', counter_name, 'periodKey', k, 'kind', 'member_limit',
      'limit', l."credits", 'alertPercent', 80, 'hardCap', true, 'used', used_now, 'userId', p_user, 'scope', l."scope"));
    IF denial IS NULL AND used_now + p_amount > l."credits" THEN
      denial := cw_shortfall('member_limit', l."credits", used_now, p_amount, k) || jsonb_build_object('scope', l."scope");
    END IF;
  END LOOP;
  RETURN jsonb_build_object('counters', counters, 'denial', denial);
END $$;

-- Why a run cannot be entered against this project, or NULL when it can.
CREATE FUNCTION cw_refuse_project(p_team TEXT, p_project TEXT, p_refuse_archived BOOLEAN) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  archived BOOLEAN;
BEGIN
  SELECT "archivedAt" IS NOT NULL INTO archived FROM "Project" WHERE "id" = p_project AND "teamId" = p_team;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'not_found', 'field', 'projectId',
      'message', 'That project does not exist in this team.');
  END IF;
  IF archived AND p_refuse_archived THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'conflict', 'field', 'projectId',
      'message', 'This project is archived; restore it before spending on it.');
  END IF;
  RETURN NULL;
END $$;

-- Creates a run from what the application priced (p_run), held or already settled.
CREATE FUNCTION cw_insert_run(
  p_run_id TEXT, p_team TEXT, p_project TEXT, p_user TEXT, p_run JSONB, p_estimate INT, p_version INT, p_counters JSONB,
  p_state "RunState", p_actual INT, p_outcome "RunOutcome", p_over_budget BOOLEAN, p_now TIMESTAMP(3)
) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "settings",
      "quantity", "stage", "purpose", "estimate", "priceListVersion", "breakdown", "state", "actual", "outcome",
      "overrun", "overBudget", "externalId", "notes", "counters", "createdAt", "settledAt")
    VALUES (p_run_id, p_team, p_project, p_user, p_run ->> 'modelId', p_run ->> 'modelName', p_run ->> 'outputType',
      p_run ->> 'tier', COALESCE(p_run -> 'settings', '{}'::jsonb), (p_run ->> 'quantity')::int,
      (p_run ->> 'stage')::"RunStage", p_run ->> 'purpose', p_estimate, p_version, COALESCE(p_run ->> 'breakdown', ''),
      p_state, p_actual, p_outcome, COALESCE(p_actual > p_estimate, false), p_over_budget, p_run ->> 'externalId',
      COALESCE(p_run ->> 'notes', ''), p_counters, p_now, CASE WHEN p_state = 'settled' THEN p_now END)
$$;

-- Moves the counters a run counts against; answers each with its use before and after.
CREATE FUNCTION cw_count(p_team TEXT, p_counters JSONB, p_delta INT) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  after_used INT;
  result JSONB := '[]'::jsonb;
BEGIN
  FOR c IN SELECT value FROM jsonb_array_elements(p_counters) LOOP
    INSERT INTO "UsageCounter" ("counter", "periodKey", "teamId", "used")
      VALUES (c ->> 'counter', c ->> 'periodKey', p_team, p_delta)
      ON CONFLICT ("counter", "periodKey") DO UPDATE SET "used" = "UsageCounter"."used" + p_delta
      RETURNING "used" INTO after_used;
    result := result || jsonb_build_array(c || jsonb_build_object('before', after_used - p_delta, 'after', after_used));
  END LOOP;
  RETURN result;
END $$;

CREATE FUNCTION cw_totals(p_team TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('balance', "balance", 'held', "held", 'available', "balance" - "held",
    'lowBalanceThreshold', "lowBalanceThreshold")
  FROM "TeamCredits" WHERE "teamId" = p_team
$$;

-- admit: check team balance, project budget and member limits, then hold the estimate.
CREATE FUNCTION cw_admit_run(
  p_team TEXT, p_run_id TEXT, p_project TEXT, p_user TEXT, p_key TEXT, p_hash TEXT, p_run JSONB,
  p_estimate INT, p_version INT, p_keys JSONB, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  refusal JSONB;
  checked JSONB;
  counted JSONB;
  totals_before JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'admit', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  refusal := cw_refuse_project(p_team, p_project, true);
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  PERFORM cw_expire_grants(p_team, p_now);
  totals_before := cw_totals(p_team);
  checked := cw_check_limits(p_team, p_project, p_user, p_estimate, p_keys);

  IF jsonb_typeof(checked -> 'denial') = 'object' THEN
    response := jsonb_build_object('status', 'denied', 'denial', checked -> 'denial', 'estimate', p_estimate,
      'priceListVersion', p_version);
  ELSE
    PERFORM cw_insert_run(p_run_id, p_team, p_project, p_user, p_run, p_estimate, p_version, checked -> 'counters',
      'held', NULL, NULL, false, p_now);
    PERFORM cw_append(p_team, 'hold', 0, p_estimate, p_project, p_run_id, NULL, p_user, p_version, p_key, '', p_now);
    counted := cw_count(p_team, checked -> 'counters', p_estimate);
    response := jsonb_build_object('status', 'admitted', 'runId', p_run_id, 'estimate', p_estimate,
      'priceListVersion', p_version, 'counters', counted, 'before', totals_before, 'after', cw_totals(p_team));
  END IF;
  PERFORM cw_remember(p_team, p_key, 'admit', p_hash, response, p_now);
  RETURN response;
END $$;

-- Why the actor may not settle or release this run now, or NULL when they may.
-- A run that was not found arrives with every field NULL.
CREATE FUNCTION cw_refuse_run_change(r "Run", p_actor TEXT, p_actor_is_admin BOOLEAN, p_consequence TEXT)
RETURNS JSONB LANGUAGE plpgsql AS $$
BEGIN
  IF r."id" IS NULL THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'not_found', 'message', 'That run does not exist in this team.');
  END IF;
  IF r."userId" <> p_actor AND NOT p_actor_is_admin THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'forbidden',
      'message', 'Only the person who started this run, or an admin, can change it.');
  END IF;
  IF r."state" <> 'held' THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'conflict',
      'message', format('This run is already %s; %s', r."state", p_consequence));
  END IF;
  RETURN NULL;
END $$;

-- settle: charge what the run really cost and release the rest of its hold. A cost above the
-- hold has been spent on the platform already: it is charged in full and marked as an overrun.
CREATE FUNCTION cw_settle_run(
  p_team TEXT, p_run_id TEXT, p_actual INT, p_outcome TEXT, p_actor TEXT, p_actor_is_admin BOOLEAN, p_key TEXT, p_hash TEXT,
  p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "Run";
  replay JSONB;
  refusal JSONB;
  totals_before JSONB;
  counted JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'settle', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  SELECT * INTO r FROM "Run" WHERE "id" = p_run_id AND "teamId" = p_team;
  refusal := cw_refuse_run_change(r, p_actor, p_actor_is_admin, 'it cannot be settled again.');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  totals_before := cw_totals(p_team);
  IF p_actual > 0 THEN
    PERFORM cw_consume_grants(p_team, p_actual);
    PERFORM cw_append(p_team, 'charge', -p_actual, -LEAST(p_actual, r."estimate"), r."projectId", r."id", NULL, p_actor,
      r."priceListVersion", p_key, '', p_now);
  END IF;
  IF r."estimate" > p_actual THEN
    PERFORM cw_append(p_team, 'release', 0, -(r."estimate" - p_actual), r."projectId", r."id", NULL, p_actor,
      r."priceListVersion", NULL, 'Unused part of the hold', p_now);
  END IF;
  counted := cw_count(p_team, r."counters", p_actual - r."estimate");
  UPDATE "Run" SET "state" = 'settled', "actual" = p_actual, "outcome" = p_outcome::"RunOutcome",
      "overrun" = p_actual > r."estimate", "settledAt" = p_now
    WHERE "id" = r."id";
  response := jsonb_build_object('status', 'settled', 'runId', r."id", 'estimate', r."estimate", 'actual', p_actual,
    'overrun', p_actual > r."estimate", 'counters', counted, 'before', totals_before, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'settle', p_hash, response, p_now);
  RETURN response;
END $$;

-- release: a run that failed or was cancelled gives its whole hold back.
CREATE FUNCTION cw_release_run(
  p_team TEXT, p_run_id TEXT, p_state TEXT, p_reason TEXT, p_actor TEXT, p_actor_is_admin BOOLEAN, p_key TEXT, p_hash TEXT,
  p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "Run";
  replay JSONB;
  refusal JSONB;
  counted JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'release', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  SELECT * INTO r FROM "Run" WHERE "id" = p_run_id AND "teamId" = p_team;
  refusal := cw_refuse_run_change(r, p_actor, p_actor_is_admin, 'its hold cannot be released again.');
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  PERFORM cw_append(p_team, 'release', 0, -r."estimate", r."projectId", r."id", NULL, p_actor, r."priceListVersion",
    p_key, p_reason, p_now);
  counted := cw_count(p_team, r."counters", -r."estimate");
  UPDATE "Run" SET "state" = p_state::"RunState", "actual" = 0,
      "outcome" = CASE WHEN p_state = 'failed' THEN 'failed'::"RunOutcome" ELSE NULL END,
      "settledAt" = p_now, "notes" = CASE WHEN p_reason = '' THEN "notes" ELSE trim(both E'\n' from "notes" || E'\n' || p_reason) END
    WHERE "id" = r."id";
  response := jsonb_build_object('status', p_state, 'runId', r."id", 'released', r."estimate", 'counters', counted,
    'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'release', p_hash, response, p_now);
  RETURN response;
END $$;

-- refund: the platform gave credits back for a settled run.
CREATE FUNCTION cw_refund_run(
  p_team TEXT, p_run_id TEXT, p_grant_id TEXT, p_credits INT, p_reason TEXT, p_actor TEXT, p_key TEXT, p_hash TEXT,
  p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "Run";
  replay JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'refund', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  SELECT * INTO r FROM "Run" WHERE "id" = p_run_id AND "teamId" = p_team;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'not_found', 'message', 'That run does not exist in this team.');
  END IF;
  IF r."state" <> 'settled' THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'conflict', 'message', 'Only a settled run can be refunded.');
  END IF;
  IF p_credits > r."actual" - r."refunded" THEN
    RETURN jsonb_build_object('status', 'error', 'code', 'invalid', 'field', 'credits',
      'message', format('At most %s credits of this run can still be refunded.', r."actual" - r."refunded"));
  END IF;
  PERFORM cw_new_grant(p_team, p_grant_id, p_credits, 'refund', p_reason, NULL, p_actor, p_now);
  PERFORM cw_append(p_team, 'refund', p_credits, 0, r."projectId", r."id", p_grant_id, p_actor, r."priceListVersion",
    p_key, p_reason, p_now);
  PERFORM cw_count(p_team, r."counters", -p_credits);
  UPDATE "Run" SET "refunded" = "refunded" + p_credits WHERE "id" = r."id";
  response := jsonb_build_object('status', 'refunded', 'runId', r."id", 'credits', p_credits, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'refund', p_hash, response, p_now);
  RETURN response;
END $$;

-- record: a run that already happened on the platform. Nothing is refused: usage past a budget,
-- a limit or the balance is recorded as it was and flagged.
CREATE FUNCTION cw_record_run(
  p_team TEXT, p_run_id TEXT, p_project TEXT, p_user TEXT, p_key TEXT, p_hash TEXT, p_run JSONB,
  p_estimate INT, p_version INT, p_keys JSONB, p_actual INT, p_outcome TEXT, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  refusal JSONB;
  checked JSONB;
  over_limit JSONB;
  totals_before JSONB;
  counted JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'record', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  refusal := cw_refuse_project(p_team, p_project, false);
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  PERFORM cw_expire_grants(p_team, p_now);
  totals_before := cw_totals(p_team);
  checked := cw_check_limits(p_team, p_project, p_user, p_actual, p_keys);
  over_limit := CASE WHEN jsonb_typeof(checked -> 'denial') = 'object' THEN checked -> 'denial' END;
  PERFORM cw_insert_run(p_run_id, p_team, p_project, p_user, p_run, p_estimate, p_version, checked -> 'counters',
    'settled', p_actual, p_outcome::"RunOutcome", over_limit IS NOT NULL, p_now);
  IF p_actual > 0 THEN
    PERFORM cw_consume_grants(p_team, p_actual);
    PERFORM cw_append(p_team, 'charge', -p_actual, 0, p_project, p_run_id, NULL, p_user, p_version, p_key,
      CASE WHEN over_limit IS NULL THEN '' ELSE 'Recorded past ' || (over_limit ->> 'limit') END, p_now);
  END IF;
  counted := cw_count(p_team, checked -> 'counters', p_actual);
  response := jsonb_build_object('status', 'recorded', 'runId', p_run_id, 'estimate', p_estimate, 'actual', p_actual,
    'overrun', p_actual > p_estimate, 'overBudget', over_limit, 'counters', counted, 'before', totals_before, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'record', p_hash, response, p_now);
  RETURN response;
END $$;

-- grant: credits come in (monthly pool, top-up, promotion), optionally expiring.
CREATE FUNCTION cw_add_grant(
  p_team TEXT, p_grant_id TEXT, p_amount INT, p_source TEXT, p_note TEXT, p_expires TIMESTAMP(3), p_actor TEXT,
  p_key TEXT, p_hash TEXT, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  totals_before JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'grant', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  PERFORM cw_expire_grants(p_team, p_now);
  totals_before := cw_totals(p_team);
  PERFORM cw_new_grant(p_team, p_grant_id, p_amount, p_source, p_note, p_expires, p_actor, p_now);
  PERFORM cw_append(p_team, 'grant', p_amount, 0, NULL, NULL, p_grant_id, p_actor, NULL, p_key,
    trim(p_source || CASE WHEN COALESCE(p_note, '') = '' THEN '' ELSE ': ' || p_note END), p_now);
  response := jsonb_build_object('status', 'granted', 'grantId', p_grant_id, 'before', totals_before, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'grant', p_hash, response, p_now);
  RETURN response;
END $$;

-- adjustment: a correction with a reason. Positive adds never-expiring credits; negative takes
-- from grants as spending does.
CREATE FUNCTION cw_adjust(
  p_team TEXT, p_grant_id TEXT, p_amount INT, p_reason TEXT, p_actor TEXT, p_key TEXT, p_hash TEXT, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  totals_before JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'adjust', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  PERFORM cw_expire_grants(p_team, p_now);
  totals_before := cw_totals(p_team);
  IF p_amount > 0 THEN
    PERFORM cw_new_grant(p_team, p_grant_id, p_amount, 'adjustment', p_reason, NULL, p_actor, p_now);
  ELSE
    PERFORM cw_consume_grants(p_team, -p_amount);
  END IF;
  PERFORM cw_append(p_team, 'adjustment', p_amount, 0, NULL, NULL, CASE WHEN p_amount > 0 THEN p_grant_id END, p_actor,
    NULL, p_key, p_reason, p_now);
  response := jsonb_build_object('status', 'adjusted', 'amount', p_amount, 'before', totals_before, 'after', cw_totals(p_team));
  PERFORM cw_remember(p_team, p_key, 'adjust', p_hash, response, p_now);
  RETURN response;
END $$;

-- Several operations of one team in one transaction: the team's lock is taken once and the
-- commit written once, so a busy team is not held to one commit per operation. Each call
-- answers as it would alone; the application groups only calls that arrive together.
CREATE FUNCTION cw_batch(p_calls JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  answers JSONB := '[]'::jsonb;
BEGIN
  FOR c IN SELECT value FROM jsonb_array_elements(p_calls) LOOP
    answers := answers || jsonb_build_array(CASE c ->> 'op'
      WHEN 'admit' THEN cw_admit_run(c ->> 'team', c ->> 'runId', c ->> 'project', c ->> 'user', c ->> 'key', c ->> 'hash',
        c -> 'run', (c ->> 'estimate')::int, (c ->> 'version')::int, c -> 'keys', (c ->> 'now')::timestamp)
      WHEN 'record' THEN cw_record_run(c ->> 'team', c ->> 'runId', c ->> 'project', c ->> 'user', c ->> 'key', c ->> 'hash',
        c -> 'run', (c ->> 'estimate')::int, (c ->> 'version')::int, c -> 'keys', (c ->> 'actual')::int, c ->> 'outcome',
        (c ->> 'now')::timestamp)
      WHEN 'settle' THEN cw_settle_run(c ->> 'team', c ->> 'runId', (c ->> 'actual')::int, c ->> 'outcome', c ->> 'actor',
        (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', (c ->> 'now')::timestamp)
      WHEN 'release' THEN cw_release_run(c ->> 'team', c ->> 'runId', c ->> 'state', c ->> 'reason', c ->> 'actor',
        (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', (c ->> 'now')::timestamp)
      ELSE jsonb_build_object('status', 'error', 'code', 'invalid', 'message', 'Unknown ledger operation.')
    END);
  END LOOP;
  RETURN answers;
END $$;
