-- AlterTable
ALTER TABLE "link_codes" ADD COLUMN     "chat_id" TEXT,
ADD COLUMN     "external_id" TEXT,
ADD COLUMN     "platform" TEXT;

-- CreateTable
CREATE TABLE "link_attempts" (
    "account" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "link_attempts_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "link_undos" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "notify_platform" TEXT NOT NULL,
    "notify_external_id" TEXT NOT NULL,
    "notify_chat_id" TEXT NOT NULL,
    "other_name" TEXT NOT NULL,
    "other_platforms" TEXT NOT NULL,
    "record" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "notified_at" TIMESTAMP(3),

    CONSTRAINT "link_undos_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "link_undos_notified_at_expires_at_idx" ON "link_undos"("notified_at", "expires_at");

-- CreateIndex
CREATE INDEX "link_undos_user_id_idx" ON "link_undos"("user_id");

-- AddForeignKey
ALTER TABLE "link_undos" ADD CONSTRAINT "link_undos_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;
