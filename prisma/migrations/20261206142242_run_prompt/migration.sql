-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "prompt" TEXT NOT NULL DEFAULT '';

-- A run keeps its prompt: written by the one insert every admission and record goes through.
CREATE OR REPLACE FUNCTION cw_insert_run(
  p_run_id TEXT, p_team TEXT, p_project TEXT, p_user TEXT, p_run JSONB, p_estimate INT, p_version INT, p_counters JSONB,
  p_allocations JSONB, p_state "RunState", p_actual INT, p_outcome "RunOutcome", p_over_budget BOOLEAN, p_now TIMESTAMP(3)
) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Run" ("id", "teamId", "projectId", "userId", "modelId", "modelName", "outputType", "tier", "settings",
      "quantity", "stage", "purpose", "estimate", "priceListVersion", "breakdown", "state", "actual", "outcome",
      "overrun", "overBudget", "externalId", "prompt", "notes", "counters", "allocations", "createdAt", "settledAt", "batchItemId")
    VALUES (p_run_id, p_team, p_project, p_user, p_run ->> 'modelId', p_run ->> 'modelName', p_run ->> 'outputType',
      p_run ->> 'tier', COALESCE(p_run -> 'settings', '{}'::jsonb), (p_run ->> 'quantity')::int,
      (p_run ->> 'stage')::"RunStage", p_run ->> 'purpose', p_estimate, p_version, COALESCE(p_run ->> 'breakdown', ''),
      p_state, p_actual, p_outcome, COALESCE(p_actual > p_estimate, false), p_over_budget, p_run ->> 'externalId', COALESCE(p_run ->> 'prompt', ''),
      COALESCE(p_run ->> 'notes', ''), p_counters, p_allocations, p_now, CASE WHEN p_state = 'settled' THEN p_now END,
      p_run ->> 'batchItemId');
  IF p_run ->> 'batchItemId' IS NOT NULL AND p_run ->> 'stage' = 'test' THEN
    UPDATE "BatchItem" SET "status" = 'testing', "version" = "version" + 1, "updatedAt" = p_now
      WHERE "id" = p_run ->> 'batchItemId' AND "teamId" = p_team AND "status" = 'planned';
  END IF;
END $$;
