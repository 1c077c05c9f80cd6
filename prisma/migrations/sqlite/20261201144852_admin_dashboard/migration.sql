-- AlterTable
ALTER TABLE "generations" ADD COLUMN "model" TEXT;
ALTER TABLE "generations" ADD COLUMN "prompt_version" TEXT;

-- CreateIndex
CREATE INDEX "activity_log_timestamp_log_id_idx" ON "activity_log"("timestamp" DESC, "log_id" DESC);

-- CreateIndex
CREATE INDEX "generations_created_at_content_type_idx" ON "generations"("created_at", "content_type");

-- CreateIndex
CREATE INDEX "feedback_timestamp_idx" ON "feedback"("timestamp");

-- CreateIndex
CREATE INDEX "daily_usage_day_idx" ON "daily_usage"("day");

-- CreateIndex
CREATE INDEX "users_last_seen_at_idx" ON "users"("last_seen_at");
