-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "batchItemId" TEXT;

-- CreateTable
CREATE TABLE "Batch" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dueDate" DATE,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchItem" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "outputType" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "prompt" TEXT NOT NULL DEFAULT '',
    "plan" JSONB NOT NULL,
    "flags" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'planned',
    "answers" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingDismissal" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "itemId" TEXT,
    "key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FindingDismissal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Batch_teamId_projectId_idx" ON "Batch"("teamId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "Batch_id_teamId_key" ON "Batch"("id", "teamId");

-- CreateIndex
CREATE INDEX "BatchItem_batchId_position_idx" ON "BatchItem"("batchId", "position");

-- CreateIndex
CREATE INDEX "BatchItem_teamId_idx" ON "BatchItem"("teamId");

-- CreateIndex
CREATE INDEX "FindingDismissal_teamId_idx" ON "FindingDismissal"("teamId");

-- CreateIndex
CREATE INDEX "FindingDismissal_itemId_idx" ON "FindingDismissal"("itemId");

-- CreateIndex
CREATE UNIQUE INDEX "FindingDismissal_batchId_key_key" ON "FindingDismissal"("batchId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Project_id_teamId_key" ON "Project"("id", "teamId");

-- CreateIndex
CREATE INDEX "Run_batchItemId_idx" ON "Run"("batchItemId");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_batchItemId_fkey" FOREIGN KEY ("batchItemId") REFERENCES "BatchItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_projectId_teamId_fkey" FOREIGN KEY ("projectId", "teamId") REFERENCES "Project"("id", "teamId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_batchId_teamId_fkey" FOREIGN KEY ("batchId", "teamId") REFERENCES "Batch"("id", "teamId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingDismissal" ADD CONSTRAINT "FindingDismissal_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingDismissal" ADD CONSTRAINT "FindingDismissal_batchId_teamId_fkey" FOREIGN KEY ("batchId", "teamId") REFERENCES "Batch"("id", "teamId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingDismissal" ADD CONSTRAINT "FindingDismissal_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "BatchItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand: a run recorded against a batch item.

-- A run's item must be one of the run's own team, in a batch of the run's own project: a run of team A
-- can never name an item of team B, whatever path wrote it. The commands check first, with a message.
CREATE FUNCTION cw_check_run_batch_item() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."batchItemId" IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "BatchItem" i JOIN "Batch" b ON b."id" = i."batchId" AND b."teamId" = i."teamId"
      WHERE i."id" = NEW."batchItemId" AND i."teamId" = NEW."teamId" AND b."projectId" = NEW."projectId"
  ) THEN
    RAISE EXCEPTION 'run % names batch item % of another team or project', NEW."id", NEW."batchItemId"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Run_batchItem_same_team" BEFORE INSERT OR UPDATE OF "batchItemId", "teamId", "projectId" ON "Run"
  FOR EACH ROW EXECUTE FUNCTION cw_check_run_batch_item();

-- Creates a run from what the application priced (p_run), held or already settled. p_run may name the batch
-- item it is recorded against; the first test run of a planned item moves it to testing in the same
-- transaction (and raises its version, so a form opened before sees the change).
CREATE OR REPLACE FUNCTION cw_insert_run(
  p_run_id TEXT, p_team TEXT, p_project TEXT, p_user TEXT, p_run JSONB, p_estimate INT, p_version INT, p_counters JSONB,
  p_allocations JSONB, p_state "RunState", p_actual INT, p_outcome "RunOutcome", p_over_budget BOOLEAN, p_now TIMESTAMP(3)
) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "settings",
      "quantity", "stage", "purpose", "estimate", "priceListVersion", "breakdown", "state", "actual", "outcome",
      "overrun", "overBudget", "externalId", "notes", "counters", "allocations", "createdAt", "settledAt", "batchItemId")
    VALUES (p_run_id, p_team, p_project, p_user, p_run ->> 'modelId', p_run ->> 'modelName', p_run ->> 'outputType',
      p_run ->> 'tier', COALESCE(p_run -> 'settings', '{}'::jsonb), (p_run ->> 'quantity')::int,
      (p_run ->> 'stage')::"RunStage", p_run ->> 'purpose', p_estimate, p_version, COALESCE(p_run ->> 'breakdown', ''),
      p_state, p_actual, p_outcome, COALESCE(p_actual > p_estimate, false), p_over_budget, p_run ->> 'externalId',
      COALESCE(p_run ->> 'notes', ''), p_counters, p_allocations, p_now, CASE WHEN p_state = 'settled' THEN p_now END,
      p_run ->> 'batchItemId');
  IF p_run ->> 'batchItemId' IS NOT NULL AND p_run ->> 'stage' = 'test' THEN
    UPDATE "BatchItem" SET "status" = 'testing', "version" = "version" + 1, "updatedAt" = p_now
      WHERE "id" = p_run ->> 'batchItemId' AND "teamId" = p_team AND "status" = 'planned';
  END IF;
END $$;
