-- CreateTable
CREATE TABLE "UsageDay" (
    "teamId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "outputType" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "stage" "RunStage" NOT NULL,
    "state" "RunState" NOT NULL,
    "outcome" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "estimate" BIGINT NOT NULL DEFAULT 0,
    "actual" BIGINT NOT NULL DEFAULT 0,
    "refunded" BIGINT NOT NULL DEFAULT 0,
    "overruns" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UsageDay_pkey" PRIMARY KEY ("teamId","day","projectId","userId","modelId","outputType","tier","stage","state","outcome")
);

-- AddForeignKey
ALTER TABLE "UsageDay" ADD CONSTRAINT "UsageDay_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand from here. A run's share of its day: one row per run, keyed by the day it was made in its team's
-- time zone and by what it was; the trigger below moves it between rows as the run changes, in the same transaction.
CREATE FUNCTION cw_usage_day(p_team TEXT, p_at TIMESTAMP(3)) RETURNS DATE LANGUAGE sql STABLE AS $$
  SELECT ((p_at AT TIME ZONE 'UTC') AT TIME ZONE t."timeZone")::date FROM "Team" t WHERE t."id" = p_team
$$;

CREATE FUNCTION cw_usage_add(r "Run", p_sign INT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  d DATE := cw_usage_day(r."teamId", r."createdAt");
BEGIN
  -- A run going with its team (a cascade) leaves nothing to count: the team's days go with it.
  IF d IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO "UsageDay" ("teamId", "day", "projectId", "userId", "modelId", "outputType", "tier", "stage", "state", "outcome",
      "runs", "estimate", "actual", "refunded", "overruns")
    VALUES (r."teamId", d, r."projectId", r."userId", r."modelId", r."outputType",
      COALESCE(r."tier", ''), r."stage", r."state", COALESCE(r."outcome"::text, ''),
      p_sign, p_sign * r."estimate"::bigint, p_sign * COALESCE(r."actual", 0)::bigint, p_sign * r."refunded"::bigint,
      p_sign * (CASE WHEN r."overrun" THEN 1 ELSE 0 END))
  ON CONFLICT ("teamId", "day", "projectId", "userId", "modelId", "outputType", "tier", "stage", "state", "outcome") DO UPDATE SET
    "runs" = "UsageDay"."runs" + EXCLUDED."runs",
    "estimate" = "UsageDay"."estimate" + EXCLUDED."estimate",
    "actual" = "UsageDay"."actual" + EXCLUDED."actual",
    "refunded" = "UsageDay"."refunded" + EXCLUDED."refunded",
    "overruns" = "UsageDay"."overruns" + EXCLUDED."overruns";
END $$;

CREATE FUNCTION cw_usage_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM cw_usage_add(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM cw_usage_add(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

-- Only the columns a day's totals read: linking a run to a batch item, or its allocations emptying, moves nothing.
CREATE TRIGGER "Run_usage_days" AFTER INSERT OR DELETE OR UPDATE OF "teamId", "projectId", "userId", "modelId", "outputType",
    "tier", "stage", "state", "outcome", "estimate", "actual", "refunded", "overrun", "createdAt"
  ON "Run" FOR EACH ROW EXECUTE FUNCTION cw_usage_track();

-- A team's days counted again from its runs (its time zone changed): under the team's credits lock, so no operation
-- of the team changes a run meanwhile.
CREATE FUNCTION cw_usage_recount(p_team TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cw_lock_credits(p_team);
  DELETE FROM "UsageDay" WHERE "teamId" = p_team;
  INSERT INTO "UsageDay" ("teamId", "day", "projectId", "userId", "modelId", "outputType", "tier", "stage", "state", "outcome",
      "runs", "estimate", "actual", "refunded", "overruns")
    SELECT r."teamId", cw_usage_day(r."teamId", r."createdAt"), r."projectId", r."userId", r."modelId", r."outputType",
        COALESCE(r."tier", ''), r."stage", r."state", COALESCE(r."outcome"::text, ''),
        COUNT(*), SUM(r."estimate"), SUM(COALESCE(r."actual", 0)), SUM(r."refunded"), COUNT(*) FILTER (WHERE r."overrun")
      FROM "Run" r WHERE r."teamId" = p_team
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
END $$;

CREATE FUNCTION cw_usage_zone_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cw_usage_recount(NEW."id");
  RETURN NULL;
END $$;

CREATE TRIGGER "Team_usage_days_zone" AFTER UPDATE OF "timeZone" ON "Team"
  FOR EACH ROW WHEN (OLD."timeZone" IS DISTINCT FROM NEW."timeZone") EXECUTE FUNCTION cw_usage_zone_changed();

-- The runs there are already.
INSERT INTO "UsageDay" ("teamId", "day", "projectId", "userId", "modelId", "outputType", "tier", "stage", "state", "outcome",
    "runs", "estimate", "actual", "refunded", "overruns")
  SELECT r."teamId", cw_usage_day(r."teamId", r."createdAt"), r."projectId", r."userId", r."modelId", r."outputType",
      COALESCE(r."tier", ''), r."stage", r."state", COALESCE(r."outcome"::text, ''),
      COUNT(*), SUM(r."estimate"), SUM(COALESCE(r."actual", 0)), SUM(r."refunded"), COUNT(*) FILTER (WHERE r."overrun")
    FROM "Run" r
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
