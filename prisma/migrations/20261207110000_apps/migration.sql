-- CreateEnum
CREATE TYPE "AppVersionState" AS ENUM ('draft', 'published', 'superseded');

-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "appTest" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "appVersionId" TEXT;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "appTestRuns" INTEGER NOT NULL DEFAULT 3;

-- CreateTable
CREATE TABLE "App" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "outputType" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),
    "retiredById" TEXT,

    CONSTRAINT "App_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppVersion" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "state" "AppVersionState" NOT NULL DEFAULT 'draft',
    "authorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    "publishedById" TEXT,

    CONSTRAINT "AppVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "App_teamId_retiredAt_idx" ON "App"("teamId", "retiredAt");

-- CreateIndex
CREATE UNIQUE INDEX "App_teamId_name_key" ON "App"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "App_id_teamId_key" ON "App"("id", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "AppVersion_appId_version_key" ON "AppVersion"("appId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "AppVersion_id_teamId_key" ON "AppVersion"("id", "teamId");

-- CreateIndex
CREATE INDEX "Batch_appVersionId_idx" ON "Batch"("appVersionId");

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_appVersionId_teamId_fkey" FOREIGN KEY ("appVersionId", "teamId") REFERENCES "AppVersion"("id", "teamId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppVersion" ADD CONSTRAINT "AppVersion_appId_teamId_fkey" FOREIGN KEY ("appId", "teamId") REFERENCES "App"("id", "teamId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppVersion" ADD CONSTRAINT "AppVersion_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
