-- AlterTable
ALTER TABLE "ApprovalRequest" ADD COLUMN "requestKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRequest_teamId_requesterId_requestKey_key" ON "ApprovalRequest"("teamId", "requesterId", "requestKey");

-- CreateIndex
CREATE INDEX "Run_teamId_externalId_idx" ON "Run"("teamId", "externalId");
