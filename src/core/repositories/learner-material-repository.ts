import type { RawSql } from '../db/raw-sql.ts';
import { timeFrom } from './sql-values.ts';

/** A deck card as personalisation reads it: the word and its FSRS state (ts-fsrs's fields, as stored). */
export interface DeckCardFacts {
  front: string;
  back: string;
  example: string | null;
  source: string;
  reps: number;
  lapses: number;
  stability: number;
  state: number;
  lastReview: Date | null;
}

/** What a learner has already learned, for content that fits them (known words, weak cards). */
// Read before every generation: hand-written SQL (../db/raw-sql.ts), what reviewCard.findMany sent, without
// the client's CPU per call.
const CARD_COLUMNS = '"front", "back", "example", "source", "reps", "lapses", "stability", "state", "last_review"';
const CARDS_IN_LANGUAGE = `SELECT ${CARD_COLUMNS} FROM "review_cards" WHERE "user_id" = ? AND "target_language" = ? ORDER BY "id" DESC LIMIT ?`;
// The count and the ids come from the index (user_id, target_language, id); the reviews from the rows.
const DECK_FINGERPRINT = `SELECT count(*) AS "cards", max("id") AS "newest", sum("id") AS "ids", sum("reps") AS "reviews", max("last_review") AS "reviewed" FROM "review_cards" WHERE "user_id" = ? AND "target_language" = ?`;

interface CardRow extends Record<string, unknown> {
  front: string;
  back: string;
  example: string | null;
  source: string;
  reps: number | bigint;
  lapses: number | bigint;
  stability: number | string;
  state: number | bigint;
  /** ISO 8601 text (both adapters), or epoch milliseconds in an SQLite file written with that format. */
  last_review: string | number | null;
}

export class LearnerMaterialRepository {
  constructor(private readonly sql: RawSql) {}

  /**
   * A value that changes whenever the learner's cards in `language` change as personalisation sees them: a
   * card added, deleted, moved in or out by /link (the count and the ids), or reviewed (every review counts in
   * `reps`; the newest review time besides).
   * '' when there are none. Cheap next to reading the cards, which it lets a cache skip.
   */
  async deckFingerprint(userId: number, language: string): Promise<string> {
    const [row] = await this.sql.query<Record<string, unknown>>(DECK_FINGERPRINT, [userId, language]);
    if (!row || Number(row.cards) === 0) return '';
    return [row.cards, row.newest, row.ids, row.reviews, row.reviewed instanceof Date ? row.reviewed.toISOString() : row.reviewed].map(String).join(':');
  }

  /**
   * The learner's newest deck cards in one language, at most `limit`: ONE statement serves both the known
   * words (flashcards) and the weak cards (exercises, role-plays). Saved flashcard sets are in the deck already
   * (saving one adds its cards), so the deck stands for "deck and saved items".
   */
  async cardsInLanguage(userId: number, language: string, limit: number): Promise<DeckCardFacts[]> {
    const rows = await this.sql.query<CardRow>(CARDS_IN_LANGUAGE, [userId, language, limit]);
    return rows.map((row) => ({
      front: row.front,
      back: row.back,
      example: row.example,
      source: row.source,
      reps: Number(row.reps),
      lapses: Number(row.lapses),
      stability: Number(row.stability),
      state: Number(row.state),
      lastReview: row.last_review === null ? null : timeFrom(row.last_review),
    }));
  }
}
