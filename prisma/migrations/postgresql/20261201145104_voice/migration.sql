-- AlterTable
ALTER TABLE "users" ADD COLUMN     "voice_replies" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "daily_usage" ADD COLUMN     "audio_seconds" INTEGER NOT NULL DEFAULT 0;

-- activity_log: the content types "pronunciation" and "transcription" (speech out and in), by hand: prisma/checks.ts
ALTER TABLE "activity_log" DROP CONSTRAINT "activity_log_content_type_check";
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_content_type_check" CHECK ("content_type" IN ('flashcards', 'exercises', 'simulation', 'simulation_turn', 'simulation_summary', 'curriculum', 'pronunciation', 'transcription'));
