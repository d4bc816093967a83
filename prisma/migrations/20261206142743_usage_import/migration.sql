-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('draft', 'running', 'done');

-- CreateEnum
CREATE TYPE "ImportRowStatus" AS ENUM ('pending', 'imported', 'present', 'skipped', 'refused');

-- CreateEnum
CREATE TYPE "ImportMappingKind" AS ENUM ('person', 'model');

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "startedById" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "layout" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'draft',
    "header" JSONB NOT NULL DEFAULT '[]',
    "choices" JSONB NOT NULL DEFAULT '{}',
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "doneRows" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "present" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRow" (
    "jobId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL DEFAULT '',
    "status" "ImportRowStatus" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "runId" TEXT,

    CONSTRAINT "ImportRow_pkey" PRIMARY KEY ("jobId","line")
);

-- CreateTable
CREATE TABLE "ImportFingerprint" (
    "teamId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportFingerprint_pkey" PRIMARY KEY ("teamId","fingerprint")
);

-- CreateTable
CREATE TABLE "ImportMapping" (
    "teamId" TEXT NOT NULL,
    "kind" "ImportMappingKind" NOT NULL,
    "externalName" TEXT NOT NULL,
    "userId" TEXT,
    "modelId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportMapping_pkey" PRIMARY KEY ("teamId","kind","externalName")
);

-- CreateIndex
CREATE INDEX "ImportJob_teamId_createdAt_idx" ON "ImportJob"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "ImportJob_status_createdAt_idx" ON "ImportJob"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ImportJob_id_teamId_key" ON "ImportJob"("id", "teamId");

-- CreateIndex
CREATE INDEX "ImportRow_jobId_status_line_idx" ON "ImportRow"("jobId", "status", "line");

-- CreateIndex
CREATE UNIQUE INDEX "ImportFingerprint_runId_key" ON "ImportFingerprint"("runId");

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRow" ADD CONSTRAINT "ImportRow_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "ImportJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportFingerprint" ADD CONSTRAINT "ImportFingerprint_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportFingerprint" ADD CONSTRAINT "ImportFingerprint_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportMapping" ADD CONSTRAINT "ImportMapping_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand. Records one chunk of an import's rows in one transaction: the team's lock taken once, due approvals
-- expired once, then each row in the order given — a row whose fingerprint the team already has is marked present;
-- one the application already decided to skip or refuse is marked so with its reason; any other goes through
-- cw_record_run, the ledger's own record (every check, the over-budget flag, the counters, the alerts), and only when
-- it is recorded is its fingerprint written, beside its run, in this same transaction. A refusal by the ledger marks
-- the row refused with the ledger's message and writes neither. The job's totals move with its rows.
-- p_rows: [{ line, fingerprint, skip?: reason, refuse?: reason, call?: { runId, project, user, hash, run, estimate,
-- version, keys, actual, outcome, now } }]. Only rows still pending are touched, so a chunk sent twice changes nothing.
CREATE FUNCTION cw_import_chunk(p_team TEXT, p_job TEXT, p_rows JSONB, p_now TIMESTAMP(3)) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  r JSONB;
  c JSONB;
  answer JSONB;
  pending BOOLEAN;
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
  FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
    SELECT "status" = 'pending' INTO pending FROM "ImportRow" WHERE "jobId" = p_job AND "line" = (r ->> 'line')::int FOR UPDATE;
    CONTINUE WHEN pending IS NOT TRUE;
    IF EXISTS (SELECT 1 FROM "ImportFingerprint" f WHERE f."teamId" = p_team AND f."fingerprint" = r ->> 'fingerprint') THEN
      UPDATE "ImportRow" SET "status" = 'present', "reason" = '' WHERE "jobId" = p_job AND "line" = (r ->> 'line')::int;
      n_present := n_present + 1;
    ELSIF r ->> 'skip' IS NOT NULL THEN
      UPDATE "ImportRow" SET "status" = 'skipped', "reason" = r ->> 'skip' WHERE "jobId" = p_job AND "line" = (r ->> 'line')::int;
      n_skipped := n_skipped + 1;
    ELSIF r ->> 'refuse' IS NOT NULL OR r -> 'call' IS NULL THEN
      UPDATE "ImportRow" SET "status" = 'refused', "reason" = COALESCE(r ->> 'refuse', 'This row could not be read.')
        WHERE "jobId" = p_job AND "line" = (r ->> 'line')::int;
      n_refused := n_refused + 1;
    ELSE
      c := r -> 'call';
      -- No idempotency key: the fingerprint is what makes a row count once (idempotency records are pruned after
      -- 7 days by their createdAt, which for an imported run is the row's own, often older, date).
      answer := cw_record_run(p_team, c ->> 'runId', c ->> 'project', c ->> 'user', NULL, c ->> 'hash', c -> 'run',
        (c ->> 'estimate')::int, (c ->> 'version')::int, c -> 'keys', (c ->> 'actual')::int, c ->> 'outcome', (c ->> 'now')::timestamp);
      IF answer ->> 'status' = 'recorded' THEN
        INSERT INTO "ImportFingerprint" ("teamId", "fingerprint", "runId", "jobId", "createdAt")
          VALUES (p_team, r ->> 'fingerprint', answer ->> 'runId', p_job, p_now);
        UPDATE "ImportRow" SET "status" = 'imported', "reason" = '', "runId" = answer ->> 'runId'
          WHERE "jobId" = p_job AND "line" = (r ->> 'line')::int;
        n_imported := n_imported + 1;
      ELSE
        UPDATE "ImportRow" SET "status" = 'refused', "reason" = COALESCE(answer ->> 'message', 'The ledger refused this row.')
          WHERE "jobId" = p_job AND "line" = (r ->> 'line')::int;
        n_refused := n_refused + 1;
      END IF;
    END IF;
  END LOOP;
  UPDATE "ImportJob" SET "doneRows" = "doneRows" + n_imported + n_present + n_skipped + n_refused,
      "imported" = "imported" + n_imported, "present" = "present" + n_present,
      "skipped" = "skipped" + n_skipped, "refused" = "refused" + n_refused
    WHERE "id" = p_job;
  RETURN jsonb_build_object('status', 'ok', 'imported', n_imported, 'present', n_present, 'skipped', n_skipped, 'refused', n_refused);
END $$;
