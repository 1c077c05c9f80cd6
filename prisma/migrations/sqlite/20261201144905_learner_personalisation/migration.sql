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
    CONSTRAINT "users_desired_retention_check" CHECK ("desired_retention" > 0.5 AND "desired_retention" < 1)
);
INSERT INTO "new_users" ("corrections_enabled", "created_at", "default_base_language", "default_target_language", "desired_retention", "display_name", "email", "last_seen_at", "reminder_chat_id", "reminder_hour", "reminder_last_sent_on", "reminder_platform", "self_assessed_level", "timezone", "user_id") SELECT "corrections_enabled", "created_at", "default_base_language", "default_target_language", "desired_retention", "display_name", "email", "last_seen_at", "reminder_chat_id", "reminder_hour", "reminder_last_sent_on", "reminder_platform", "self_assessed_level", "timezone", "user_id" FROM "users";
DROP TABLE "users";
ALTER TABLE "new_users" RENAME TO "users";
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
