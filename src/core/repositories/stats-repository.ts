import type { Db } from '../db/client.ts';

/** Read-only queries behind /stats. Timestamps come back raw: days are local to the learner, counted in code. */
export class StatsRepository {
  constructor(private readonly prisma: Db) {}

  /** When the learner asked for something (activity-log input entries) since `since`. */
  async requestTimes(userId: number, since: Date): Promise<Date[]> {
    const rows = await this.prisma.activityLog.findMany({
      where: { userId, direction: 'input', timestamp: { gte: since } },
      select: { timestamp: true },
    });
    return rows.map((r) => r.timestamp);
  }

  /** When the learner reviewed a card since `since`. */
  async reviewTimes(userId: number, since: Date): Promise<Date[]> {
    const rows = await this.prisma.reviewLog.findMany({ where: { userId, review: { gte: since } }, select: { review: true } });
    return rows.map((r) => r.review);
  }

  async deck(userId: number, now: Date): Promise<{ total: number; dueNow: number; learned: number }> {
    const [total, dueNow, learned] = await Promise.all([
      this.prisma.reviewCard.count({ where: { userId } }),
      this.prisma.reviewCard.count({ where: { userId, due: { lte: now } } }),
      // ts-fsrs State.Review = 2: the card graduated from learning.
      this.prisma.reviewCard.count({ where: { userId, state: 2 } }),
    ]);
    return { total, dueNow, learned };
  }

  /** Every exercise answer, oldest first (the first answer per question is the one that counts). */
  exerciseAnswers(userId: number) {
    return this.prisma.exerciseAttempt.findMany({
      where: { userId },
      orderBy: { id: 'asc' },
      select: { generationId: true, questionIndex: true, correct: true },
    });
  }

  ratingsGiven(userId: number): Promise<number> {
    return this.prisma.feedback.count({ where: { userId, rating: { not: null } } });
  }
}
