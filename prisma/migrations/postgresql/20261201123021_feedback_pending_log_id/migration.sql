-- AlterTable
ALTER TABLE "feedback" ADD COLUMN     "pending_log_id" TEXT;

-- CreateIndex
CREATE INDEX "feedback_pending_log_id_idx" ON "feedback"("pending_log_id");
