import type { Db, Prisma } from '../db/client.ts';

export interface RatingTarget {
  generationId?: number | null;
  logId?: string | null;
  savedContentId?: number | null;
}

export class FeedbackRepository {
  constructor(private readonly prisma: Db) {}

  /** One rating per learner and content: a new rating replaces the old one. */
  async setRating(userId: number, target: RatingTarget, rating: number, context: unknown) {
    return this.prisma.$transaction(async (tx) => {
      const where = ratingWhere(userId, target);
      const existing = await tx.feedback.findFirst({ where, orderBy: { id: 'asc' } });
      if (existing) {
        return tx.feedback.update({ where: { id: existing.id }, data: { rating, timestamp: new Date() } });
      }
      return tx.feedback.create({
        data: {
          userId,
          rating,
          relatedGenerationId: target.generationId ?? null,
          relatedLogId: target.logId ?? null,
          relatedSavedContentId: target.savedContentId ?? null,
          contextDetails: context as Prisma.InputJsonValue,
        },
      });
    });
  }

  /** Removes the learner's rating of that content (e.g. the rating reaction was taken back). */
  async clearRating(userId: number, target: RatingTarget): Promise<number> {
    const where = ratingWhere(userId, target);
    const rows = await this.prisma.feedback.findMany({ where });
    let cleared = 0;
    for (const row of rows) {
      if (row.feedbackText) await this.prisma.feedback.update({ where: { id: row.id }, data: { rating: null } });
      else await this.prisma.feedback.delete({ where: { id: row.id } });
      cleared += 1;
    }
    return cleared;
  }

  addText(userId: number, text: string, target: RatingTarget, context: unknown) {
    return this.prisma.feedback.create({
      data: {
        userId,
        feedbackText: text,
        relatedGenerationId: target.generationId ?? null,
        relatedLogId: target.logId ?? null,
        relatedSavedContentId: target.savedContentId ?? null,
        contextDetails: context as Prisma.InputJsonValue,
      },
    });
  }
}

function ratingWhere(userId: number, target: RatingTarget): Prisma.FeedbackWhereInput {
  const where: Prisma.FeedbackWhereInput = { userId, rating: { not: null } };
  if (target.generationId != null) where.relatedGenerationId = target.generationId;
  else if (target.savedContentId != null) where.relatedSavedContentId = target.savedContentId;
  else where.relatedLogId = target.logId ?? '';
  return where;
}
