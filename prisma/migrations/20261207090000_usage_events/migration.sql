-- AlterTable
ALTER TABLE "ImportFingerprint" ADD COLUMN     "contentHash" TEXT;

-- Written by hand. Usage events sent through the API (POST /usage) are recorded the way an import's rows are: the
-- caller's event id is the run's fingerprint (an import's external id, `x:<id>`), written beside the run in the same
-- transaction, so an event sent again — in another request, by another key, or as a row of an imported file with that
-- external id — is the run already recorded. An event's fingerprint also keeps the hash of what the event said
-- ("contentHash"), so the same id sent with other content is refused rather than taken as already recorded; an
-- import's fingerprint leaves it NULL (its row's content is on ImportRow).

-- The calls recorded together by cw_record_runs and, for each one recorded, its fingerprint (with the content hash
-- given for it, if any) written beside its run: what an import's chunk and the API's usage events share. A call the
-- ledger refuses writes no fingerprint. Answers cw_record_runs's answers, in the order of the calls.
CREATE FUNCTION cw_record_fingerprinted(p_team TEXT, p_job TEXT, p_prints TEXT[], p_hashes TEXT[], p_calls JSONB[], p_now TIMESTAMP(3))
RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  answers JSONB;
BEGIN
  IF cardinality(p_calls) = 0 THEN
    RETURN '[]'::jsonb;
  END IF;
  answers := cw_record_runs(p_team, to_jsonb(p_calls));
  -- unnest pads the shorter array with NULLs: without hashes ('{}'), every fingerprint has none.
  INSERT INTO "ImportFingerprint" ("teamId", "fingerprint", "runId", "jobId", "contentHash", "createdAt")
    SELECT p_team, l."print", a.value ->> 'runId', p_job, l."hash", p_now
      FROM unnest(p_prints, p_hashes) WITH ORDINALITY AS l("print", "hash", n)
      JOIN jsonb_array_elements(answers) WITH ORDINALITY AS a(value, n) ON a.n = l.n
      WHERE a.value ->> 'status' = 'recorded';
  RETURN answers;
END $$;

-- An import's calls, recorded through cw_record_fingerprinted; each row marked with its answer as before.
CREATE OR REPLACE FUNCTION cw_import_record(p_team TEXT, p_job TEXT, p_lines INT[], p_prints TEXT[], p_calls JSONB[], p_now TIMESTAMP(3))
RETURNS INT[] LANGUAGE plpgsql AS $$
DECLARE
  answers JSONB;
  imported INT;
BEGIN
  IF cardinality(p_calls) = 0 THEN
    RETURN ARRAY[0, 0];
  END IF;
  answers := cw_record_fingerprinted(p_team, p_job, p_prints, '{}'::text[], p_calls, p_now);
  WITH x AS (
    SELECT l."line", a.value AS "answer"
      FROM unnest(p_lines) WITH ORDINALITY AS l("line", n)
      JOIN jsonb_array_elements(answers) WITH ORDINALITY AS a(value, n) ON a.n = l.n
  )
  UPDATE "ImportRow" i SET
      "status" = CASE WHEN x."answer" ->> 'status' = 'recorded' THEN 'imported'::"ImportRowStatus" ELSE 'refused'::"ImportRowStatus" END,
      "reason" = CASE WHEN x."answer" ->> 'status' = 'recorded' THEN '' ELSE COALESCE(x."answer" ->> 'message', 'The ledger refused this row.') END,
      "runId" = CASE WHEN x."answer" ->> 'status' = 'recorded' THEN x."answer" ->> 'runId' ELSE i."runId" END
    FROM x WHERE i."jobId" = p_job AND i."line" = x."line";
  SELECT count(*) FILTER (WHERE a.value ->> 'status' = 'recorded') INTO imported FROM jsonb_array_elements(answers) a;
  RETURN ARRAY[imported, cardinality(p_calls) - imported];
END $$;
