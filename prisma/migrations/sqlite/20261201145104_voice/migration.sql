-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_users" (
    "user_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "display_name" TEXT NOT NULL,
    "email" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "default_target_language" TEXT,
    "default_base_language" TEXT,
    "self_assessed_level" TEXT,
    "corrections_enabled" BOOLEAN NOT NULL DEFAULT true,
    "timezone" TEXT,
    "desired_retention" REAL NOT NULL DEFAULT 0.9,
    "reminder_hour" INTEGER,
    "reminder_platform" TEXT,
    "reminder_chat_id" TEXT,
    "reminder_last_sent_on" TEXT,
    "practice_weak" BOOLEAN NOT NULL DEFAULT true,
    "level_proposal" TEXT,
    "voice_replies" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "users_desired_retention_check" CHECK ("desired_retention" > 0.5 AND "desired_retention" < 1)
);
INSERT INTO "new_users" ("corrections_enabled", "created_at", "default_base_language", "default_target_language", "desired_retention", "display_name", "email", "last_seen_at", "level_proposal", "practice_weak", "reminder_chat_id", "reminder_hour", "reminder_last_sent_on", "reminder_platform", "self_assessed_level", "timezone", "user_id") SELECT "corrections_enabled", "created_at", "default_base_language", "default_target_language", "desired_retention", "display_name", "email", "last_seen_at", "level_proposal", "practice_weak", "reminder_chat_id", "reminder_hour", "reminder_last_sent_on", "reminder_platform", "self_assessed_level", "timezone", "user_id" FROM "users";
DROP TABLE "users";
ALTER TABLE "new_users" RENAME TO "users";
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE INDEX "users_last_seen_at_idx" ON "users"("last_seen_at");
CREATE TABLE "new_daily_usage" (
    "user_id" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "llm_calls" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "audio_seconds" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("user_id", "day"),
    CONSTRAINT "daily_usage_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_daily_usage" ("day", "llm_calls", "tokens", "user_id") SELECT "day", "llm_calls", "tokens", "user_id" FROM "daily_usage";
DROP TABLE "daily_usage";
ALTER TABLE "new_daily_usage" RENAME TO "daily_usage";
CREATE INDEX "daily_usage_day_idx" ON "daily_usage"("day");
-- activity_log: the content types "pronunciation" and "transcription" (speech out and in). SQLite cannot change a
-- CHECK rule in place, so the table is copied like Prisma's RedefineTables (written by hand: prisma/checks.ts).
CREATE TABLE "new_activity_log" (
    "log_id" TEXT NOT NULL PRIMARY KEY,
    "user_id" INTEGER NOT NULL,
    "timestamp" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content_type" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "query_text" TEXT NOT NULL,
    "target_language" TEXT NOT NULL,
    "base_language" TEXT,
    "request_metadata" JSONB,
    "response_metadata" JSONB,
    CONSTRAINT "activity_log_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "activity_log_content_type_check" CHECK ("content_type" IN ('flashcards', 'exercises', 'simulation', 'simulation_turn', 'simulation_summary', 'curriculum', 'pronunciation', 'transcription')),
    CONSTRAINT "activity_log_direction_check" CHECK ("direction" IN ('input', 'output'))
);
INSERT INTO "new_activity_log" ("log_id", "user_id", "timestamp", "content_type", "direction", "query_text", "target_language", "base_language", "request_metadata", "response_metadata") SELECT "log_id", "user_id", "timestamp", "content_type", "direction", "query_text", "target_language", "base_language", "request_metadata", "response_metadata" FROM "activity_log";
DROP TABLE "activity_log";
ALTER TABLE "new_activity_log" RENAME TO "activity_log";
CREATE INDEX "activity_log_user_id_timestamp_idx" ON "activity_log"("user_id", "timestamp" DESC);
CREATE INDEX "activity_log_timestamp_log_id_idx" ON "activity_log"("timestamp" DESC, "log_id" DESC);
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
