-- DropIndex
DROP INDEX "AuditLog_teamId_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditLog_teamId_createdAt_id_idx" ON "AuditLog"("teamId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditLog_teamId_actorId_createdAt_id_idx" ON "AuditLog"("teamId", "actorId", "createdAt", "id");
