import type { Db } from '../db/client.ts';

export interface NewCard {
  front: string;
  back: string;
  example: string | null;
  targetLanguage: string | null;
}

export interface CardSchedule {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
}

export interface ReviewLogRow {
  rating: number;
  state: number;
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  lastElapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  review: Date;
}

/** The spaced-repetition deck and its review log. */
export class ReviewRepository {
  constructor(private readonly prisma: Db) {}

  /** Adds cards that are not in the deck yet (same front and back); returns how many were added. */
  async addCards(userId: number, source: string, savedContentId: number | null, cards: NewCard[], now: Date): Promise<number> {
    let added = 0;
    for (const card of cards) {
      const existing = await this.prisma.reviewCard.findUnique({
        where: { userId_front_back: { userId, front: card.front, back: card.back } },
        select: { id: true },
      });
      if (existing) continue;
      await this.prisma.reviewCard.create({ data: { userId, source, savedContentId, ...card, due: now } });
      added += 1;
    }
    return added;
  }

  /** The learner's card, or null for someone else's. */
  findOwned(userId: number, cardId: number) {
    return this.prisma.reviewCard.findFirst({ where: { id: cardId, userId } });
  }

  nextDue(userId: number, now: Date) {
    return this.prisma.reviewCard.findFirst({ where: { userId, due: { lte: now } }, orderBy: [{ due: 'asc' }, { id: 'asc' }] });
  }

  countDue(userId: number, before: Date) {
    return this.prisma.reviewCard.count({ where: { userId, due: { lte: before } } });
  }

  countCards(userId: number) {
    return this.prisma.reviewCard.count({ where: { userId } });
  }

  /** Saves the new schedule and the review log entry in one transaction. */
  async recordReview(userId: number, cardId: number, schedule: CardSchedule, log: ReviewLogRow): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.reviewCard.update({ where: { id: cardId }, data: schedule }),
      this.prisma.reviewLog.create({ data: { cardId, userId, ...log } }),
    ]);
  }

  reviewsSince(userId: number, since: Date) {
    return this.prisma.reviewLog.findMany({ where: { userId, review: { gte: since } }, orderBy: { review: 'asc' } });
  }
}
