import type { Db } from '../db/client.ts';

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
export class LearnerMaterialRepository {
  constructor(private readonly prisma: Db) {}

  /**
   * The learner's newest deck cards in one language, at most `limit`: ONE statement serves both the known
   * words (flashcards) and the weak cards (exercises, role-plays). Saved flashcard sets are in the deck already
   * (saving one adds its cards), so the deck stands for "deck and saved items".
   */
  cardsInLanguage(userId: number, language: string, limit: number): Promise<DeckCardFacts[]> {
    return this.prisma.reviewCard.findMany({
      where: { userId, targetLanguage: language },
      orderBy: { id: 'desc' },
      take: limit,
      select: { front: true, back: true, example: true, source: true, reps: true, lapses: true, stability: true, state: true, lastReview: true },
    });
  }
}
