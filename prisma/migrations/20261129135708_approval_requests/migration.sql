-- CreateEnum
CREATE TYPE "ApprovalState" AS ENUM ('pending', 'approved', 'rejected', 'withdrawn', 'lapsed', 'expired', 'used');

-- CreateEnum
CREATE TYPE "ApprovalVerdict" AS ENUM ('approve', 'reject');

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "batchItemId" TEXT,
    "requesterId" TEXT NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "rule" JSONB NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelName" TEXT NOT NULL,
    "tier" TEXT,
    "outputType" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "quantity" INTEGER NOT NULL,
    "stage" "RunStage" NOT NULL,
    "purpose" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "estimate" INTEGER NOT NULL,
    "breakdown" TEXT NOT NULL DEFAULT '',
    "priceListVersion" INTEGER NOT NULL,
    "findings" JSONB NOT NULL DEFAULT '[]',
    "answers" JSONB NOT NULL,
    "state" "ApprovalState" NOT NULL DEFAULT 'pending',
    "holdRunId" TEXT,
    "approvedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "lapsesAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "decision" "ApprovalVerdict" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApprovalRequest_teamId_state_createdAt_idx" ON "ApprovalRequest"("teamId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_teamId_requesterId_createdAt_idx" ON "ApprovalRequest"("teamId", "requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_state_expiresAt_idx" ON "ApprovalRequest"("state", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRequest_id_teamId_key" ON "ApprovalRequest"("id", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRequest_holdRunId_teamId_key" ON "ApprovalRequest"("holdRunId", "teamId");

-- CreateIndex
CREATE INDEX "ApprovalDecision_teamId_idx" ON "ApprovalDecision"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDecision_requestId_userId_key" ON "ApprovalDecision"("requestId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "BatchItem_id_teamId_key" ON "BatchItem"("id", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "Run_id_teamId_key" ON "Run"("id", "teamId");

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_projectId_teamId_fkey" FOREIGN KEY ("projectId", "teamId") REFERENCES "Project"("id", "teamId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_batchItemId_teamId_fkey" FOREIGN KEY ("batchItemId", "teamId") REFERENCES "BatchItem"("id", "teamId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_holdRunId_teamId_fkey" FOREIGN KEY ("holdRunId", "teamId") REFERENCES "Run"("id", "teamId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_requestId_teamId_fkey" FOREIGN KEY ("requestId", "teamId") REFERENCES "ApprovalRequest"("id", "teamId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
