-- AlterTable
ALTER TABLE "users" ADD COLUMN     "level_proposal" TEXT,
ADD COLUMN     "practice_weak" BOOLEAN NOT NULL DEFAULT true;
