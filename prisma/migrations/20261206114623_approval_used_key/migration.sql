-- AlterTable
ALTER TABLE "ApprovalRequest" ADD COLUMN     "usedKey" TEXT;
