-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'uploading' BEFORE 'draft';
