-- DropIndex
DROP INDEX "LedgerEntry_teamId_createdAt_idx";

-- CreateIndex
CREATE INDEX "LedgerEntry_teamId_createdAt_id_idx" ON "LedgerEntry"("teamId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_teamId_projectId_createdAt_id_idx" ON "LedgerEntry"("teamId", "projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_teamId_actorId_createdAt_id_idx" ON "LedgerEntry"("teamId", "actorId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_teamId_kind_createdAt_id_idx" ON "LedgerEntry"("teamId", "kind", "createdAt", "id");
