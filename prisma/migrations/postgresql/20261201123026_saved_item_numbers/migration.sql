-- AlterTable (edited by hand: existing items are numbered per learner in the order they were saved, then
-- the column becomes required)
ALTER TABLE "saved_content" ADD COLUMN     "number" INTEGER;
UPDATE "saved_content" AS s SET "number" = n.rn
  FROM (SELECT "saved_content_id", ROW_NUMBER() OVER (PARTITION BY "user_id" ORDER BY "saved_content_id") AS rn FROM "saved_content") AS n
  WHERE s."saved_content_id" = n."saved_content_id";
ALTER TABLE "saved_content" ALTER COLUMN "number" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "saved_content_user_id_number_key" ON "saved_content"("user_id", "number");
