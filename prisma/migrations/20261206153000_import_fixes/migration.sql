-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'uploading' BEFORE 'draft';

-- CreateIndex
CREATE INDEX "ImportRow_runId_idx" ON "ImportRow"("runId");
