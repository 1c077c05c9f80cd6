-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_saved_content" (
    "saved_content_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "content_type" TEXT NOT NULL,
    "original_query" TEXT NOT NULL,
    "content_data" JSONB NOT NULL,
    "target_language" TEXT,
    "base_language" TEXT,
    "generation_id" INTEGER,
    "saved_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_label" TEXT,
    "user_notes" TEXT,
    CONSTRAINT "saved_content_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "saved_content_generation_id_fkey" FOREIGN KEY ("generation_id") REFERENCES "generations" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "saved_content_content_type_check" CHECK ("content_type" IN ('flashcards', 'exercises', 'simulation', 'simulation_turn', 'simulation_summary', 'curriculum'))
);
-- Existing items are numbered per learner in the order they were saved (edited by hand: the generated
-- statement had no value for the new column).
INSERT INTO "new_saved_content" ("base_language", "content_data", "content_type", "generation_id", "original_query", "saved_at", "saved_content_id", "target_language", "user_id", "number", "user_label", "user_notes") SELECT "base_language", "content_data", "content_type", "generation_id", "original_query", "saved_at", "saved_content_id", "target_language", "user_id", ROW_NUMBER() OVER (PARTITION BY "user_id" ORDER BY "saved_content_id"), "user_label", "user_notes" FROM "saved_content";
DROP TABLE "saved_content";
ALTER TABLE "new_saved_content" RENAME TO "saved_content";
CREATE INDEX "saved_content_user_id_idx" ON "saved_content"("user_id");
CREATE UNIQUE INDEX "saved_content_user_id_number_key" ON "saved_content"("user_id", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
