-- DropIndex
DROP INDEX "UsageCounter_teamId_idx";

-- DropIndex
DROP INDEX "Grant_teamId_expiresAt_idx";

-- CreateIndex
CREATE INDEX "Grant_teamId_expiresAt_createdAt_id_idx" ON "Grant"("teamId", "expiresAt", "createdAt", "id");

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "held" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "draws" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "data" JSONB NOT NULL DEFAULT '{}',
ALTER COLUMN "title" SET DEFAULT '',
ALTER COLUMN "body" SET DEFAULT '';

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "allocations" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "TeamCredits" ADD COLUMN     "debt" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "UsageCounter" DROP CONSTRAINT "UsageCounter_pkey",
ALTER COLUMN "used" SET DATA TYPE BIGINT,
ADD CONSTRAINT "UsageCounter_pkey" PRIMARY KEY ("teamId", "counter", "periodKey");

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "notificationId" TEXT,
    "payload" JSONB,
    "sentTo" JSONB NOT NULL DEFAULT '[]',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "abandonedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_sentAt_nextAttemptAt_idx" ON "OutboxMessage"("sentAt", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Existing data. Counters were keyed without their team, so a member of two teams shared one:
-- rebuild every counter from the runs of its own team.
-- ---------------------------------------------------------------------------
DELETE FROM "UsageCounter";
INSERT INTO "UsageCounter" ("teamId", "counter", "periodKey", "used")
  SELECT r."teamId", c ->> 'counter', c ->> 'periodKey',
    SUM(CASE r."state" WHEN 'held' THEN r."estimate" WHEN 'settled' THEN r."actual" - r."refunded" ELSE 0 END)
  FROM "Run" r, jsonb_array_elements(r."counters") c
  GROUP BY 1, 2, 3;

-- Holds now reserve credits of particular grants. Runs on hold take theirs from the grants that
-- expire first, and one entry per team records each grant's remainder and reservation, so that
-- every grant's figures can be recomputed from the ledger from here on.
DO $$
DECLARE
  t RECORD;
  r RECORD;
  g RECORD;
  still INT;
  take INT;
  taken JSONB;
  c "TeamCredits";
  opening JSONB;
BEGIN
  -- Every team with credits: one with no grant at all can still owe (usage recorded before any credits came).
  FOR t IN SELECT "teamId" FROM "TeamCredits" UNION SELECT "teamId" FROM "Grant" UNION SELECT "teamId" FROM "Run" WHERE "state" = 'held' LOOP
    FOR r IN SELECT "id", "estimate" FROM "Run" WHERE "teamId" = t."teamId" AND "state" = 'held' ORDER BY "createdAt", "id" LOOP
      still := r."estimate";
      taken := '[]'::jsonb;
      FOR g IN
        SELECT "id", "remaining" - "held" AS free FROM "Grant"
          WHERE "teamId" = t."teamId" AND "expiredAt" IS NULL AND "remaining" > "held"
          ORDER BY "expiresAt" ASC NULLS LAST, "createdAt", "id"
      LOOP
        EXIT WHEN still <= 0;
        take := LEAST(still, g.free);
        UPDATE "Grant" SET "held" = "held" + take WHERE "id" = g."id";
        taken := taken || jsonb_build_array(jsonb_build_object('g', g."id", 'h', take));
        still := still - take;
      END LOOP;
      UPDATE "Run" SET "allocations" = taken WHERE "id" = r."id";
    END LOOP;
    SELECT COALESCE(jsonb_agg(jsonb_build_object('g', "id", 'r', "remaining", 'h', "held") ORDER BY "createdAt", "id"), '[]'::jsonb)
      INTO opening FROM "Grant" WHERE "teamId" = t."teamId";
    UPDATE "TeamCredits" SET "debt" = GREATEST(0, (SELECT COALESCE(SUM("remaining"), 0) FROM "Grant" WHERE "teamId" = t."teamId") - "balance")
      WHERE "teamId" = t."teamId" RETURNING * INTO c;
    IF c."teamId" IS NOT NULL THEN
      INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter", "reason", "draws")
        VALUES (t."teamId", 'adjustment', 0, 0, c."balance", c."held", c."balance" - c."held",
          'Opening figures of each grant, recorded when holds began to reserve credits of particular grants', opening);
    END IF;
  END LOOP;
END $$;

-- ---------------------------------------------------------------------------
-- The credit operations, rewritten. What changed:
-- * holds reserve credits of particular grants (Grant.held, Run.allocations); expiry writes off
--   only what is not held, and what a finished run gives back to an expired grant is written off
--   then; expiry runs before every operation;
-- * the team's debt (credits spent that no grant covered) is kept apart and paid first by any
--   credits that come in or come free;
-- * every entry records what it did to each grant (draws), so verify can recompute grants;
-- * counters belong to one team; their names are made here only;
-- * alerts are written in the same transaction as the movement that raises them, with an
--   outbox row for the email; a budget's alert key includes its amount;
-- * a denied admission is not remembered under its idempotency key: a retry is asked again;
-- * amounts and the balance are bounded so no sum can overflow.
-- ---------------------------------------------------------------------------
DROP FUNCTION cw_append(TEXT, "LedgerKind", INT, INT, TEXT, TEXT, TEXT, TEXT, INT, TEXT, TEXT, TIMESTAMP(3));
DROP FUNCTION cw_consume_grants(TEXT, INT);
DROP FUNCTION cw_new_grant(TEXT, TEXT, INT, TEXT, TEXT, TIMESTAMP(3), TEXT, TIMESTAMP(3));
DROP FUNCTION cw_count(TEXT, JSONB, INT);
DROP FUNCTION cw_insert_run(TEXT, TEXT, TEXT, TEXT, JSONB, INT, INT, JSONB, "RunState", INT, "RunOutcome", BOOLEAN, TIMESTAMP(3));
DROP FUNCTION cw_settle_run(TEXT, TEXT, INT, TEXT, TEXT, BOOLEAN, TEXT, TEXT, TIMESTAMP(3));
DROP FUNCTION cw_adjust(TEXT, TEXT, INT, TEXT, TEXT, TEXT, TEXT, TIMESTAMP(3));
DROP FUNCTION cw_shortfall(TEXT, INT, INT, INT, TEXT);

-- The largest amount of one entry, and the bound of the balance either way: with these, no
-- balance, held or available figure can leave PostgreSQL's INTEGER range.
CREATE FUNCTION cw_max_credits() RETURNS INT LANGUAGE sql IMMUTABLE AS $$ SELECT 1000000000 $$;

CREATE FUNCTION cw_error(p_code TEXT, p_field TEXT, p_message TEXT) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object('status', 'error', 'code', p_code, 'field', p_field, 'message', p_message))
$$;

-- A second line behind the application's checks: an amount outside [p_min, cw_max_credits()] is refused.
CREATE FUNCTION cw_refuse_amount(p_amount INT, p_min INT, p_field TEXT) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_amount IS NULL OR p_amount < p_min OR p_amount > cw_max_credits()
    THEN cw_error('invalid', p_field, format('Enter a whole number of credits from %s to %s.', p_min, to_char(cw_max_credits(), 'FM9,999,999,999')))
  END
$$;

-- Why the balance may not move by p_amount, or NULL when it may.
CREATE FUNCTION cw_refuse_balance(p_team TEXT, p_amount INT, p_field TEXT) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  b INT;
BEGIN
  SELECT "balance" INTO b FROM "TeamCredits" WHERE "teamId" = p_team;
  IF b::bigint + p_amount > cw_max_credits() THEN
    RETURN cw_error('invalid', p_field, format('A team can hold at most %s credits; this would take its balance to %s.',
      to_char(cw_max_credits(), 'FM9,999,999,999'), to_char(b::bigint + p_amount, 'FM9,999,999,999,999')));
  END IF;
  IF b::bigint + p_amount < -cw_max_credits() THEN
    RETURN cw_error('invalid', p_field, format('A team''s balance cannot go below -%s credits; this would take it to %s.',
      to_char(cw_max_credits(), 'FM9,999,999,999'), to_char(b::bigint + p_amount, 'FM9,999,999,999,999')));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION cw_project_counter(p_project TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT 'project:' || p_project
$$;

CREATE FUNCTION cw_member_counter(p_scope TEXT, p_user TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT 'member:' || p_scope || ':' || p_user
$$;

-- The counter a project budget counts in, for the period key of its settings.
CREATE FUNCTION cw_budget_usage(b "ProjectBudget", p_keys JSONB) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('counter', cw_project_counter(b."projectId"), 'periodKey', cw_period_key(p_keys, b."period", b."weekStartsOn"),
    'kind', 'project_budget', 'limit', b."credits", 'alertPercent', b."alertPercent", 'hardCap', b."hardCap", 'projectId', b."projectId")
$$;

CREATE FUNCTION cw_limit_usage(l "MemberLimit", p_keys JSONB) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('counter', cw_member_counter(l."scope", l."userId"), 'periodKey', cw_period_key(p_keys, l."period", l."weekStartsOn"),
    'kind', 'member_limit', 'limit', l."credits", 'alertPercent', 80, 'hardCap', true, 'userId', l."userId", 'scope', l."scope")
$$;

CREATE FUNCTION cw_used(p_team TEXT, p_usage JSONB) RETURNS BIGINT LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT u."used" FROM "UsageCounter" u
    WHERE u."teamId" = p_team AND u."counter" = p_usage ->> 'counter' AND u."periodKey" = p_usage ->> 'periodKey'), 0)
$$;

CREATE FUNCTION cw_shortfall(p_limit TEXT, p_budget INT, p_used BIGINT, p_amount INT, p_key TEXT) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('limit', p_limit, 'budget', p_budget, 'used', p_used,
    'remaining', GREATEST(p_budget - p_used, 0), 'needed', p_amount, 'shortfall', p_used + p_amount - p_budget, 'periodKey', p_key)
$$;

-- Appends one entry and moves the team's totals with it.
CREATE FUNCTION cw_append(
  p_team TEXT, p_kind "LedgerKind", p_amount INT, p_held INT, p_project TEXT, p_run TEXT, p_grant TEXT,
  p_actor TEXT, p_version INT, p_key TEXT, p_reason TEXT, p_now TIMESTAMP(3), p_draws JSONB
) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  b INT;
  h INT;
  entry_id BIGINT;
BEGIN
  UPDATE "TeamCredits" SET "balance" = "balance" + p_amount, "held" = "held" + p_held, "updatedAt" = p_now
    WHERE "teamId" = p_team RETURNING "balance", "held" INTO b, h;
  INSERT INTO "LedgerEntry" ("teamId", "kind", "amount", "heldDelta", "balanceAfter", "heldAfter", "availableAfter",
      "projectId", "runId", "grantId", "actorId", "priceListVersion", "idempotencyKey", "reason", "draws", "createdAt")
    VALUES (p_team, p_kind, p_amount, p_held, b, h, b - h, p_project, p_run, p_grant, p_actor, p_version, p_key,
      COALESCE(p_reason, ''), p_draws, p_now)
    RETURNING "id" INTO entry_id;
  RETURN entry_id;
END $$;

-- Raises an alert once per dedupe key, with an outbox row for its email, in the caller's transaction.
CREATE FUNCTION cw_notify(p_team TEXT, p_user TEXT, p_kind TEXT, p_key TEXT, p_data JSONB, p_now TIMESTAMP(3))
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  new_id TEXT := 'ntf_' || replace(gen_random_uuid()::text, '-', '');
BEGIN
  INSERT INTO "Notification" ("id", "teamId", "userId", "kind", "dedupeKey", "data", "createdAt")
    VALUES (new_id, p_team, p_user, p_kind, p_key, p_data, p_now)
    ON CONFLICT ("teamId", "dedupeKey") DO NOTHING;
  IF FOUND THEN
    INSERT INTO "OutboxMessage" ("id", "teamId", "kind", "notificationId", "nextAttemptAt", "createdAt")
      VALUES ('out_' || replace(gen_random_uuid()::text, '-', ''), p_team, 'notification', new_id, p_now, p_now);
  END IF;
END $$;

-- Available credits fell below the admins' threshold: once per threshold and month.
CREATE FUNCTION cw_check_low_balance(p_team TEXT, p_before JSONB, p_keys JSONB, p_now TIMESTAMP(3)) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  c "TeamCredits";
BEGIN
  -- Most teams set no threshold: the figures taken before the operation already say so.
  IF p_before IS NULL OR p_before ->> 'lowBalanceThreshold' IS NULL THEN
    RETURN;
  END IF;
  SELECT * INTO c FROM "TeamCredits" WHERE "teamId" = p_team;
  IF c."lowBalanceThreshold" IS NULL THEN
    RETURN;
  END IF;
  IF (p_before ->> 'available')::int >= c."lowBalanceThreshold" AND c."balance" - c."held" < c."lowBalanceThreshold" THEN
    PERFORM cw_notify(p_team, NULL, 'low_balance', format('low-balance:%s:%s', c."lowBalanceThreshold", p_keys ->> 'month'),
      jsonb_build_object('threshold', c."lowBalanceThreshold", 'available', c."balance" - c."held"), p_now);
  END IF;
END $$;

-- Takes p_amount of the credits no hold has reserved yet, from the live grants that expire first:
-- reserved for a hold (p_hold: answers [{ g, h }]) or spent (answers the draws [{ g, r }], and what no
-- grant covers becomes debt).
CREATE FUNCTION cw_take(p_team TEXT, p_amount INT, p_hold BOOLEAN) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
  still INT := p_amount;
  take INT;
  taken JSONB := '[]'::jsonb;
BEGIN
  IF still <= 0 THEN
    RETURN taken;
  END IF;
  FOR g IN
    SELECT "id", "remaining" - "held" AS free FROM "Grant"
      WHERE "teamId" = p_team AND "expiredAt" IS NULL AND "remaining" > "held"
      ORDER BY "expiresAt" ASC NULLS LAST, "createdAt", "id"
  LOOP
    take := LEAST(still, g.free);
    IF p_hold THEN
      UPDATE "Grant" SET "held" = "held" + take WHERE "id" = g."id";
      taken := taken || jsonb_build_array(jsonb_build_object('g', g."id", 'h', take));
    ELSE
      UPDATE "Grant" SET "remaining" = "remaining" - take WHERE "id" = g."id";
      taken := taken || jsonb_build_array(jsonb_build_object('g', g."id", 'r', -take));
    END IF;
    still := still - take;
    EXIT WHEN still <= 0;
  END LOOP;
  -- A hold is only taken when the available credits cover it, so only spending can come up short.
  IF still > 0 AND NOT p_hold THEN
    UPDATE "TeamCredits" SET "debt" = "debt" + still WHERE "teamId" = p_team;
  END IF;
  RETURN taken;
END $$;

-- Credits that came free on a live grant pay the team's debt first; answers what they paid.
CREATE FUNCTION cw_repay(p_team TEXT, p_grant TEXT, p_credits INT) RETURNS INT LANGUAGE plpgsql AS $$
DECLARE
  pay INT;
BEGIN
  SELECT LEAST(p_credits, "debt") INTO pay FROM "TeamCredits" WHERE "teamId" = p_team;
  IF pay > 0 THEN
    UPDATE "TeamCredits" SET "debt" = "debt" - pay WHERE "teamId" = p_team;
    UPDATE "Grant" SET "remaining" = "remaining" - pay WHERE "id" = p_grant;
  END IF;
  RETURN GREATEST(pay, 0);
END $$;

-- Adds credits as a grant row, paying the team's debt first. Answers the draws of its entry.
CREATE FUNCTION cw_new_grant(
  p_team TEXT, p_id TEXT, p_amount INT, p_source TEXT, p_note TEXT, p_expires TIMESTAMP(3), p_actor TEXT, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  paid INT;
BEGIN
  INSERT INTO "Grant" ("id", "teamId", "amount", "remaining", "source", "note", "expiresAt", "createdById", "createdAt")
    VALUES (p_id, p_team, p_amount, p_amount, p_source, COALESCE(p_note, ''), p_expires, p_actor, p_now);
  paid := cw_repay(p_team, p_id, p_amount);
  RETURN jsonb_build_array(jsonb_build_object('g', p_id, 'r', p_amount - paid));
END $$;

-- Ends a run's reservation: p_actual of it is spent (earliest expiry first); the rest goes back to
-- each grant, paying debt first on a live grant and written off on one that has expired. Answers
-- { draws, writeOffs: [{ g, credits }], uncovered: the part of p_actual the reservation did not cover }.
CREATE FUNCTION cw_unreserve(p_team TEXT, p_allocations JSONB, p_actual INT) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  a JSONB;
  reserved INT;
  still INT := p_actual;
  used INT;
  unused INT;
  paid INT;
  expired BOOLEAN;
  draws JSONB := '[]'::jsonb;
  write_offs JSONB := '[]'::jsonb;
  debt INT;
BEGIN
  SELECT c."debt" INTO debt FROM "TeamCredits" c WHERE c."teamId" = p_team;
  FOR a IN SELECT value FROM jsonb_array_elements(p_allocations) LOOP
    reserved := (a ->> 'h')::int;
    used := LEAST(still, reserved);
    still := still - used;
    unused := reserved - used;
    UPDATE "Grant" SET "held" = "held" - reserved, "remaining" = "remaining" - used
      WHERE "id" = a ->> 'g' AND "teamId" = p_team RETURNING "expiredAt" IS NOT NULL INTO expired;
    draws := draws || jsonb_build_array(jsonb_build_object('g', a ->> 'g', 'r', -used, 'h', -reserved));
    IF unused > 0 AND expired THEN
      UPDATE "Grant" SET "remaining" = "remaining" - unused WHERE "id" = a ->> 'g';
      write_offs := write_offs || jsonb_build_array(jsonb_build_object('g', a ->> 'g', 'credits', unused));
    ELSIF unused > 0 AND debt > 0 THEN
      paid := cw_repay(p_team, a ->> 'g', unused);
      debt := debt - paid;
      IF paid > 0 THEN
        draws := draws || jsonb_build_array(jsonb_build_object('g', a ->> 'g', 'r', -paid));
      END IF;
    END IF;
  END LOOP;
  RETURN jsonb_build_object('draws', draws, 'writeOffs', write_offs, 'uncovered', still);
END $$;

-- The write-offs of cw_unreserve, one expiry entry each.
CREATE FUNCTION cw_write_off(p_team TEXT, p_write_offs JSONB, p_project TEXT, p_run TEXT, p_actor TEXT, p_version INT, p_now TIMESTAMP(3))
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  w JSONB;
BEGIN
  FOR w IN SELECT value FROM jsonb_array_elements(p_write_offs) LOOP
    PERFORM cw_append(p_team, 'expiry', -(w ->> 'credits')::int, 0, p_project, p_run, w ->> 'g', p_actor, p_version, NULL,
      'Held for a run when its grant expired; not used by it', p_now,
      jsonb_build_array(jsonb_build_object('g', w ->> 'g', 'r', -(w ->> 'credits')::int)));
  END LOOP;
END $$;

-- Writes off, once, what is left of every grant whose expiry has passed, except what holds
-- reserved: that stays for their runs.
CREATE OR REPLACE FUNCTION cw_expire_grants(p_team TEXT, p_now TIMESTAMP(3)) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  g RECORD;
BEGIN
  FOR g IN
    SELECT "id", "remaining" - "held" AS free FROM "Grant"
      WHERE "teamId" = p_team AND "expiredAt" IS NULL AND "expiresAt" <= p_now
      ORDER BY "expiresAt", "id"
  LOOP
    UPDATE "Grant" SET "expiredAt" = p_now, "remaining" = "held" WHERE "id" = g."id";
    IF g.free > 0 THEN
      PERFORM cw_append(p_team, 'expiry', -g.free, 0, NULL, NULL, g."id", NULL, NULL, NULL, 'Grant expired', p_now,
        jsonb_build_array(jsonb_build_object('g', g."id", 'r', -g.free)));
    END IF;
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION cw_totals(p_team TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('balance', "balance", 'held', "held", 'available', "balance" - "held", 'debt', "debt",
    'lowBalanceThreshold', "lowBalanceThreshold")
  FROM "TeamCredits" WHERE "teamId" = p_team
$$;

-- The budget and limits a spend by p_user in p_project counts against with their use so far,
-- and the first limit p_amount would break (null if none): the team's available credits first,
-- then the project's budget, then the member's limits. Callers hold the team's lock.
CREATE OR REPLACE FUNCTION cw_check_limits(p_team TEXT, p_project TEXT, p_user TEXT, p_amount INT, p_keys JSONB)
RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  b "ProjectBudget";
  l "MemberLimit";
  usage JSONB;
  used_now BIGINT;
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
    usage := cw_budget_usage(b, p_keys);
    used_now := cw_used(p_team, usage);
    counters := counters || jsonb_build_array(usage);
    IF denial IS NULL AND b."hardCap" AND used_now + p_amount > b."credits" THEN
      denial := cw_shortfall('project_budget', b."credits", used_now, p_amount, usage ->> 'periodKey');
    END IF;
  END IF;
  FOR l IN
    SELECT * FROM "MemberLimit" WHERE "teamId" = p_team AND "userId" = p_user AND "scope" IN (p_project, 'team') ORDER BY "scope" DESC
  LOOP
    usage := cw_limit_usage(l, p_keys);
    used_now := cw_used(p_team, usage);
    counters := counters || jsonb_build_array(usage);
    IF denial IS NULL AND used_now + p_amount > l."credits" THEN
      denial := cw_shortfall('member_limit', l."credits", used_now, p_amount, usage ->> 'periodKey') || jsonb_build_object('scope', l."scope");
    END IF;
  END LOOP;
  RETURN jsonb_build_object('counters', counters, 'denial', denial);
END $$;

-- Creates a run from what the application priced (p_run), held or already settled.
CREATE FUNCTION cw_insert_run(
  p_run_id TEXT, p_team TEXT, p_project TEXT, p_user TEXT, p_run JSONB, p_estimate INT, p_version INT, p_counters JSONB,
  p_allocations JSONB, p_state "RunState", p_actual INT, p_outcome "RunOutcome", p_over_budget BOOLEAN, p_now TIMESTAMP(3)
) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "settings",
      "quantity", "stage", "purpose", "estimate", "priceListVersion", "breakdown", "state", "actual", "outcome",
      "overrun", "overBudget", "externalId", "notes", "counters", "allocations", "createdAt", "settledAt")
    VALUES (p_run_id, p_team, p_project, p_user, p_run ->> 'modelId', p_run ->> 'modelName', p_run ->> 'outputType',
      p_run ->> 'tier', COALESCE(p_run -> 'settings', '{}'::jsonb), (p_run ->> 'quantity')::int,
      (p_run ->> 'stage')::"RunStage", p_run ->> 'purpose', p_estimate, p_version, COALESCE(p_run ->> 'breakdown', ''),
      p_state, p_actual, p_outcome, COALESCE(p_actual > p_estimate, false), p_over_budget, p_run ->> 'externalId',
      COALESCE(p_run ->> 'notes', ''), p_counters, p_allocations, p_now, CASE WHEN p_state = 'settled' THEN p_now END)
$$;

-- Moves the counters a run counts against by p_delta, and raises the alerts of every threshold a
-- rise crossed: the alert percent and 100 %, once per counter, period, limit and threshold.
CREATE FUNCTION cw_count(p_team TEXT, p_counters JSONB, p_delta INT, p_now TIMESTAMP(3)) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  c JSONB;
  after_used BIGINT;
  before_used BIGINT;
  cap BIGINT;
  pct INT;
  level BIGINT;
  threshold INT;
  key TEXT;
  data JSONB;
BEGIN
  IF p_delta = 0 THEN
    RETURN;
  END IF;
  FOR c IN SELECT value FROM jsonb_array_elements(p_counters) LOOP
    INSERT INTO "UsageCounter" ("teamId", "counter", "periodKey", "used")
      VALUES (p_team, c ->> 'counter', c ->> 'periodKey', p_delta)
      ON CONFLICT ("teamId", "counter", "periodKey") DO UPDATE SET "used" = "UsageCounter"."used" + p_delta
      RETURNING "used" INTO after_used;
    before_used := after_used - p_delta;
    cap := (c ->> 'limit')::bigint;
    pct := COALESCE((c ->> 'alertPercent')::int, 80);
    CONTINUE WHEN p_delta < 0 OR cap IS NULL OR cap <= 0;
    FOREACH threshold IN ARRAY CASE WHEN pct < 100 THEN ARRAY[pct, 100] ELSE ARRAY[100] END LOOP
      level := (cap * threshold + 99) / 100;
      CONTINUE WHEN NOT (before_used < level AND after_used >= level);
      key := format('%s:%s:%s:%s', c ->> 'counter', c ->> 'periodKey', cap, threshold);
      data := jsonb_build_object('counter', c ->> 'counter', 'periodKey', c ->> 'periodKey', 'limit', cap, 'used', after_used,
        'threshold', threshold, 'projectId', c ->> 'projectId', 'userId', c ->> 'userId', 'scope', c ->> 'scope');
      IF c ->> 'kind' = 'project_budget' THEN
        PERFORM cw_notify(p_team, NULL, 'budget_threshold', 'budget:' || key, data, p_now);
      ELSE
        -- The member hears about their own limit, and so do the admins.
        PERFORM cw_notify(p_team, NULL, 'limit_threshold', 'limit:' || key, data, p_now);
        PERFORM cw_notify(p_team, c ->> 'userId', 'limit_threshold', 'limit:' || key || ':self', data, p_now);
      END IF;
    END LOOP;
  END LOOP;
END $$;

-- Makes a counter count exactly the runs of its scope created in its period [p_start, p_end)
-- (NULL: unbounded), and carry the budget or limit as it is now (the amount alerts are measured
-- against): taken off every run, put back on those of its scope, and counted again.
-- For a budget or limit saved after spending. Callers hold the team's lock.
CREATE FUNCTION cw_recount(p_team TEXT, p_usage JSONB, p_project TEXT, p_user TEXT, p_start TIMESTAMP(3), p_end TIMESTAMP(3))
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  id_only JSONB := jsonb_build_object('counter', p_usage ->> 'counter', 'periodKey', p_usage ->> 'periodKey');
  total BIGINT;
BEGIN
  UPDATE "Run" r SET "counters" = (
      SELECT COALESCE(jsonb_agg(c.value ORDER BY c.ordinality), '[]'::jsonb)
      FROM jsonb_array_elements(r."counters") WITH ORDINALITY c WHERE NOT c.value @> id_only)
    WHERE r."teamId" = p_team AND r."counters" @> jsonb_build_array(id_only);
  UPDATE "Run" r SET "counters" = r."counters" || jsonb_build_array(p_usage)
    WHERE r."teamId" = p_team
      AND (p_project IS NULL OR r."projectId" = p_project) AND (p_user IS NULL OR r."userId" = p_user)
      AND (p_start IS NULL OR r."createdAt" >= p_start) AND (p_end IS NULL OR r."createdAt" < p_end);
  SELECT COALESCE(SUM(CASE r."state" WHEN 'held' THEN r."estimate" WHEN 'settled' THEN r."actual" - r."refunded" ELSE 0 END), 0)
    INTO total FROM "Run" r WHERE r."teamId" = p_team AND r."counters" @> jsonb_build_array(id_only);
  INSERT INTO "UsageCounter" ("teamId", "counter", "periodKey", "used")
    VALUES (p_team, p_usage ->> 'counter', p_usage ->> 'periodKey', total)
    ON CONFLICT ("teamId", "counter", "periodKey") DO UPDATE SET "used" = EXCLUDED."used";
  RETURN total;
END $$;

-- A project's budget was saved: lock the team, and count everything spent in its current period.
CREATE FUNCTION cw_recount_budget(p_team TEXT, p_project TEXT, p_keys JSONB, p_start TIMESTAMP(3), p_end TIMESTAMP(3))
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  b "ProjectBudget";
BEGIN
  PERFORM cw_lock_credits(p_team);
  SELECT * INTO b FROM "ProjectBudget" WHERE "projectId" = p_project AND "teamId" = p_team;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN cw_recount(p_team, cw_budget_usage(b, p_keys), p_project, NULL, p_start, p_end);
END $$;

CREATE FUNCTION cw_recount_limit(p_team TEXT, p_limit TEXT, p_keys JSONB, p_start TIMESTAMP(3), p_end TIMESTAMP(3))
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  l "MemberLimit";
BEGIN
  PERFORM cw_lock_credits(p_team);
  SELECT * INTO l FROM "MemberLimit" WHERE "id" = p_limit AND "teamId" = p_team;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN cw_recount(p_team, cw_limit_usage(l, p_keys), CASE WHEN l."scope" = 'team' THEN NULL ELSE l."scope" END, l."userId",
    p_start, p_end);
END $$;

-- admit: check team balance, project budget and member limits, then hold the estimate.
CREATE OR REPLACE FUNCTION cw_admit_run(
  p_team TEXT, p_run_id TEXT, p_project TEXT, p_user TEXT, p_key TEXT, p_hash TEXT, p_run JSONB,
  p_estimate INT, p_version INT, p_keys JSONB, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  replay JSONB;
  refusal JSONB;
  checked JSONB;
  allocations JSONB;
  totals_before JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'admit', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  refusal := COALESCE(cw_refuse_amount(p_estimate, 0, 'quantity'), cw_refuse_project(p_team, p_project, true));
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  totals_before := cw_totals(p_team);
  PERFORM cw_expire_grants(p_team, p_now);
  checked := cw_check_limits(p_team, p_project, p_user, p_estimate, p_keys);
  -- A denial changes nothing and is not remembered: a retry, after a top-up say, is asked again.
  IF jsonb_typeof(checked -> 'denial') = 'object' THEN
    RETURN jsonb_build_object('status', 'denied', 'denial', checked -> 'denial', 'estimate', p_estimate, 'priceListVersion', p_version);
  END IF;
  allocations := cw_take(p_team, p_estimate, true);
  PERFORM cw_insert_run(p_run_id, p_team, p_project, p_user, p_run, p_estimate, p_version, checked -> 'counters',
    allocations, 'held', NULL, NULL, false, p_now);
  PERFORM cw_append(p_team, 'hold', 0, p_estimate, p_project, p_run_id, NULL, p_user, p_version, p_key, '', p_now, allocations);
  PERFORM cw_count(p_team, checked -> 'counters', p_estimate, p_now);
  PERFORM cw_check_low_balance(p_team, totals_before, p_keys, p_now);
  response := jsonb_build_object('status', 'admitted', 'runId', p_run_id, 'estimate', p_estimate, 'priceListVersion', p_version);
  PERFORM cw_remember(p_team, p_key, 'admit', p_hash, response, p_now);
  RETURN response;
END $$;

-- settle: charge what the run really cost and release the rest of its hold. A cost above the
-- hold has been spent on the platform already: it is charged in full and marked as an overrun.
CREATE FUNCTION cw_settle_run(
  p_team TEXT, p_run_id TEXT, p_actual INT, p_outcome TEXT, p_actor TEXT, p_actor_is_admin BOOLEAN, p_key TEXT, p_hash TEXT,
  p_keys JSONB, p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "Run";
  replay JSONB;
  refusal JSONB;
  totals_before JSONB;
  ended JSONB;
  draws JSONB;
  response JSONB;
BEGIN
  PERFORM cw_lock_credits(p_team);
  replay := cw_replay(p_team, p_key, 'settle', p_hash);
  IF replay IS NOT NULL THEN
    RETURN replay;
  END IF;
  SELECT * INTO r FROM "Run" WHERE "id" = p_run_id AND "teamId" = p_team;
  refusal := COALESCE(cw_refuse_amount(p_actual, 0, 'actual'), cw_refuse_run_change(r, p_actor, p_actor_is_admin, 'it cannot be settled again.'),
    cw_refuse_balance(p_team, -p_actual, 'actual'));
  IF refusal IS NOT NULL THEN
    RETURN refusal;
  END IF;
  totals_before := cw_totals(p_team);
  PERFORM cw_expire_grants(p_team, p_now);
  ended := cw_unreserve(p_team, r."allocations", p_actual);
  draws := (ended -> 'draws') || cw_take(p_team, (ended ->> 'uncovered')::int, false);
  IF p_actual > 0 THEN
    PERFORM cw_append(p_team, 'charge', -p_actual, -LEAST(p_actual, r."estimate"), r."projectId", r."id", NULL, p_actor,
      r."priceListVersion", p_key, '', p_now, draws);
  END IF;
  IF r."estimate" > p_actual THEN
    PERFORM cw_append(p_team, 'release', 0, -(r."estimate" - p_actual), r."projectId", r."id", NULL, p_actor,
      r."priceListVersion", CASE WHEN p_actual > 0 THEN NULL ELSE p_key END, 'Unused part of the hold', p_now,
      CASE WHEN p_actual > 0 THEN '[]'::jsonb ELSE draws END);
  END IF;
  PERFORM cw_write_off(p_team, ended -> 'writeOffs', r."projectId", r."id", p_actor, r."priceListVersion", p_now);
  PERFORM cw_count(p_team, r."counters", p_actual - r."estimate", p_now);
  UPDATE "Run" SET "state" = 'settled', "actual" = p_actual, "outcome" = p_outcome::"RunOutcome",
      "overrun" = p_actual > r."estimate", "settledAt" = p_now, "allocations" = '[]'::jsonb
    WHERE "id" = r."id";
  IF p_actual > r."estimate" THEN
    PERFORM cw_notify(p_team, NULL, 'overrun', 'overrun:' || r."id",
      jsonb_build_object('runId', r."id", 'projectId', r."projectId", 'estimate', r."estimate", 'actual', p_actual), p_now);
  END IF;
  PERFORM cw_check_low_balance(p_team, totals_before, p_keys, p_now);
  response := jsonb_build_object('status', 'settled', 'runId', r."id", 'estimate', r."estimate", 'actual', p_actual,
    'overrun', p_actual > r."estimate");
  PERFORM cw_remember(p_team, p_key, 'settle', p_hash, response, p_now);
  RETURN response;
END $$;

-- release: a run that failed or was cancelled gives its whole hold back.
CREATE OR REPLACE FUNCTION cw_release_run(
  p_team TEXT, p_run_id TEXT, p_state TEXT, p_reason TEXT, p_actor TEXT, p_actor_is_admin BOOLEAN, p_key TEXT, p_hash TEXT,
  p_now TIMESTAMP(3)
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r "Run";
  replay JSONB;
  refusal JSONB;
  ended JSONB;
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
  PERFORM cw_expire_grants(p_team, p_now);
  ended := cw_unreserve(p_team, r."allocations", 0);
  IF r."estimate" > 0 THEN
    PERFORM cw_append(p_team, 'release', 0, -r."estimate", r."projectId", r."id", NULL, p_actor, r."priceListVersion",
      p_key, p_reason, p_now, ended -> 'draws');
  END IF;
  PERFORM cw_write_off(p_team, ended -> 'writeOffs', r."projectId", r."id", p_actor, r."priceListVersion", p_now);
  PERFORM cw_count(p_team, r."counters", -r."estimate", p_now);
  UPDATE "Run" SET "state" = p_state::"RunState", "actual" = 0, "allocations" = '[]'::jsonb,
      "outcome" = CASE WHEN p_state = 'failed' THEN 'failed'::"RunOutcome" ELSE NULL END,
      "settledAt" = p_now, "notes" = CASE WHEN p_reason = '' THEN "notes" ELSE trim(both E'\n' from "notes" || E'\n' || p_reason) END
    WHERE "id" = r."id";
  response := jsonb_build_object('status', p_state, 'runId', r."id", 'released', r."estimate");
  PERFORM cw_remember(p_team, p_key, 'release', p_hash, response, p_now);
  RETURN response;
END $$;

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

-- record: a run that already happened on the platform. Nothing is refused for a budget, a limit
-- or the balance: usage past them is recorded as it was and flagged.
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
  PERFORM cw_check_low_balance(p_team, totals_before, p_keys, p_now);
  response := jsonb_build_object('status', 'recorded', 'runId', p_run_id, 'estimate', p_estimate, 'actual', p_actual,
    'overrun', p_actual > p_estimate, 'overBudget', over_limit);
  PERFORM cw_remember(p_team, p_key, 'record', p_hash, response, p_now);
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
CREATE FUNCTION cw_adjust(
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

CREATE OR REPLACE FUNCTION cw_batch(p_calls JSONB) RETURNS JSONB LANGUAGE plpgsql AS $$
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
        (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', c -> 'keys', (c ->> 'now')::timestamp)
      WHEN 'release' THEN cw_release_run(c ->> 'team', c ->> 'runId', c ->> 'state', c ->> 'reason', c ->> 'actor',
        (c ->> 'isAdmin')::boolean, c ->> 'key', c ->> 'hash', (c ->> 'now')::timestamp)
      ELSE cw_error('invalid', NULL, 'Unknown ledger operation.')
    END);
  END LOOP;
  RETURN answers;
END $$;
