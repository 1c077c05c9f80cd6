-- CreateTable
CREATE TABLE "users" (
    "user_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "display_name" TEXT NOT NULL,
    "email" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "default_target_language" TEXT,
    "default_base_language" TEXT,
    "self_assessed_level" TEXT,
    "corrections_enabled" BOOLEAN NOT NULL DEFAULT true
);

-- CreateTable
CREATE TABLE "platform_accounts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "username" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "platform_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "activity_log" (
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
    CONSTRAINT "activity_log_content_type_check" CHECK ("content_type" IN ('flashcards', 'exercises', 'simulation', 'simulation_turn', 'simulation_summary', 'curriculum')),
    CONSTRAINT "activity_log_direction_check" CHECK ("direction" IN ('input', 'output'))
);

-- CreateTable
CREATE TABLE "generations" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "conversation_key" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "query_text" TEXT NOT NULL,
    "target_language" TEXT NOT NULL,
    "base_language" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "output_log_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "generations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "generations_content_type_check" CHECK ("content_type" IN ('flashcards', 'exercises', 'simulation', 'simulation_turn', 'simulation_summary', 'curriculum'))
);

-- CreateTable
CREATE TABLE "saved_content" (
    "saved_content_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
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

-- CreateTable
CREATE TABLE "feedback" (
    "feedback_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "timestamp" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "related_log_id" TEXT,
    "related_saved_content_id" INTEGER,
    "related_generation_id" INTEGER,
    "rating" INTEGER,
    "feedback_text" TEXT,
    "context_details" JSONB,
    CONSTRAINT "feedback_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "feedback_related_log_id_fkey" FOREIGN KEY ("related_log_id") REFERENCES "activity_log" ("log_id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "feedback_related_saved_content_id_fkey" FOREIGN KEY ("related_saved_content_id") REFERENCES "saved_content" ("saved_content_id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "feedback_related_generation_id_fkey" FOREIGN KEY ("related_generation_id") REFERENCES "generations" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "feedback_rating_check" CHECK ("rating" IS NULL OR ("rating" >= 1 AND "rating" <= 5)),
    CONSTRAINT "feedback_has_content_check" CHECK ("rating" IS NOT NULL OR "feedback_text" IS NOT NULL)
);

-- CreateTable
CREATE TABLE "curricula" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "native_language" TEXT NOT NULL,
    "target_language" TEXT NOT NULL,
    "proficiency" TEXT NOT NULL,
    "lesson_topic" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "curricula_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "lessons" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "curriculum_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "sub_topic" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "keywords" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'not_started',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "lessons_curriculum_id_fkey" FOREIGN KEY ("curriculum_id") REFERENCES "curricula" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "flashcards" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lesson_id" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "example" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flashcards_lesson_id_fkey" FOREIGN KEY ("lesson_id") REFERENCES "lessons" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "exercises" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lesson_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sentence" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "explanation" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "exercises_lesson_id_fkey" FOREIGN KEY ("lesson_id") REFERENCES "lessons" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "simulations" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lesson_id" TEXT,
    "title" TEXT NOT NULL,
    "setting" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "simulations_lesson_id_fkey" FOREIGN KEY ("lesson_id") REFERENCES "lessons" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "simulation_sessions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "simulation_id" TEXT,
    "started_by_user_id" INTEGER NOT NULL,
    "conversation_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "target_language" TEXT NOT NULL,
    "base_language" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "scenario" JSONB NOT NULL,
    "summary" JSONB,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" DATETIME,
    CONSTRAINT "simulation_sessions_simulation_id_fkey" FOREIGN KEY ("simulation_id") REFERENCES "simulations" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "simulation_sessions_started_by_user_id_fkey" FOREIGN KEY ("started_by_user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "simulation_participants" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "session_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "display_name" TEXT NOT NULL,
    "joined_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "simulation_participants_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "simulation_sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "simulation_participants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "simulation_turns" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "session_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "user_id" INTEGER,
    "speaker_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "corrections" JSONB,
    "new_words" JSONB,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "simulation_turns_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "simulation_sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "simulation_turns_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "daily_usage" (
    "user_id" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "llm_calls" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("user_id", "day"),
    CONSTRAINT "daily_usage_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "exercise_attempts" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "generation_id" INTEGER NOT NULL,
    "question_index" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "exercise_attempts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("user_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "exercise_attempts_generation_id_fkey" FOREIGN KEY ("generation_id") REFERENCES "generations" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "platform_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "chat_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "generation_id" INTEGER,
    "simulation_session_id" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "platform_messages_generation_id_fkey" FOREIGN KEY ("generation_id") REFERENCES "generations" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "platform_messages_simulation_session_id_fkey" FOREIGN KEY ("simulation_session_id") REFERENCES "simulation_sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "platform_accounts_user_id_idx" ON "platform_accounts"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_accounts_platform_external_id_key" ON "platform_accounts"("platform", "external_id");

-- CreateIndex
CREATE INDEX "activity_log_user_id_timestamp_idx" ON "activity_log"("user_id", "timestamp" DESC);

-- CreateIndex
CREATE INDEX "generations_conversation_key_created_at_idx" ON "generations"("conversation_key", "created_at" DESC);

-- CreateIndex
CREATE INDEX "generations_user_id_created_at_idx" ON "generations"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "saved_content_user_id_idx" ON "saved_content"("user_id");

-- CreateIndex
CREATE INDEX "feedback_user_id_idx" ON "feedback"("user_id");

-- CreateIndex
CREATE INDEX "feedback_related_log_id_idx" ON "feedback"("related_log_id");

-- CreateIndex
CREATE INDEX "feedback_related_saved_content_id_idx" ON "feedback"("related_saved_content_id");

-- CreateIndex
CREATE INDEX "feedback_related_generation_id_idx" ON "feedback"("related_generation_id");

-- CreateIndex
CREATE INDEX "curricula_user_id_idx" ON "curricula"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "lessons_curriculum_id_position_key" ON "lessons"("curriculum_id", "position");

-- CreateIndex
CREATE INDEX "flashcards_lesson_id_idx" ON "flashcards"("lesson_id");

-- CreateIndex
CREATE INDEX "exercises_lesson_id_idx" ON "exercises"("lesson_id");

-- CreateIndex
CREATE INDEX "simulations_lesson_id_idx" ON "simulations"("lesson_id");

-- CreateIndex
CREATE INDEX "simulation_sessions_conversation_key_status_idx" ON "simulation_sessions"("conversation_key", "status");

-- CreateIndex
CREATE UNIQUE INDEX "simulation_participants_session_id_user_id_key" ON "simulation_participants"("session_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "simulation_turns_session_id_seq_key" ON "simulation_turns"("session_id", "seq");

-- CreateIndex
CREATE INDEX "exercise_attempts_user_id_created_at_idx" ON "exercise_attempts"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "exercise_attempts_generation_id_user_id_idx" ON "exercise_attempts"("generation_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "platform_messages_platform_chat_id_message_id_key" ON "platform_messages"("platform", "chat_id", "message_id");
