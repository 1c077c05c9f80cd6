-- CreateIndex
CREATE INDEX "review_cards_user_id_target_language_id_idx" ON "review_cards"("user_id", "target_language", "id" DESC);
