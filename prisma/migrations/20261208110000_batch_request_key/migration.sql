-- An app run made through the API keeps its request's key: a resend after a lost answer finds the batch it made.
ALTER TABLE "Batch" ADD COLUMN "requestKey" TEXT;

CREATE UNIQUE INDEX "Batch_teamId_requestKey_key" ON "Batch"("teamId", "requestKey");
