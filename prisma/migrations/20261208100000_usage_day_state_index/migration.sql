-- CreateIndex
CREATE INDEX "UsageDay_teamId_state_day_idx" ON "UsageDay"("teamId", "state", "day");
