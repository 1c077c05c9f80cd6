import type { Db, Prisma } from '../db/client.ts';
import type { RawSql } from '../db/raw-sql.ts';

// Runs at every start, before "ready": hand-written SQL, so that the client's query compiler loads after it.
const LINK_ALL_WRITTEN = `UPDATE "feedback" SET "related_log_id" = "pending_log_id", "pending_log_id" = NULL
  WHERE "pending_log_id" IS NOT NULL AND EXISTS (SELECT 1 FROM "activity_log" WHERE "activity_log"."log_id" = "feedback"."pending_log_id")`;

export interface RatingTarget {
  generationId?: number | null;
  logId?: string | null;
  savedContentId?: number | null;
}

/**
 * Feedback about a log entry names it in `pending_log_id` (no foreign key) and is linked (`related_log_id`, with
 * its foreign key) only once the entry is in activity_log. The entry may be in a process's buffer (this one's or
 * another's) or lost in a crash: the feedback is stored either way, and is never refused for it.
 * Linking happens in whichever comes second:
 * - the feedback: after its row is committed, linkIfWritten() links it if the entry is there;
 * - the entry: after each batch is committed, ActivityLogRepository links the feedback waiting for its entries.
 * Each of the two runs after its own commit, so at least one of them sees the other's row (PostgreSQL's
 * READ COMMITTED included; SQLite serialises writers anyway).
 */
export class FeedbackRepository {
  constructor(
    private readonly prisma: Db,
    private readonly sql: RawSql,
  ) {}

  /**
   * One rating per learner and content: a new rating replaces the old one. `at`: when it was given (a rating
   * journaled during an outage): it replaces only an older rating, so a replay never undoes a later one.
   */
  async setRating(userId: number, target: RatingTarget, rating: number, context: unknown, at?: Date) {
    const row = await this.prisma.$transaction(async (tx) => {
      const where = ratingWhere(userId, target);
      const existing = await tx.feedback.findFirst({ where, orderBy: { id: 'asc' } });
      if (existing) {
        if (at && existing.timestamp > at) return existing;
        return tx.feedback.update({ where: { id: existing.id }, data: { rating, timestamp: at ?? new Date() } });
      }
      return tx.feedback.create({
        data: {
          ...(at ? { timestamp: at } : {}),
          userId,
          rating,
          relatedGenerationId: target.generationId ?? null,
          pendingLogId: target.logId ?? null,
          relatedSavedContentId: target.savedContentId ?? null,
          contextDetails: context as Prisma.InputJsonValue,
        },
      });
    });
    return this.linkIfWritten(row);
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

  /** `at`: when it was given (journaled during an outage); the same learner, time and text are stored once. */
  async addText(userId: number, text: string, target: RatingTarget, context: unknown, at?: Date) {
    if (at) {
      const stored = await this.prisma.feedback.findFirst({ where: { userId, timestamp: at, feedbackText: text } });
      if (stored) return stored;
    }
    const row = await this.prisma.feedback.create({
      data: {
        ...(at ? { timestamp: at } : {}),
        userId,
        feedbackText: text,
        relatedGenerationId: target.generationId ?? null,
        pendingLogId: target.logId ?? null,
        relatedSavedContentId: target.savedContentId ?? null,
        contextDetails: context as Prisma.InputJsonValue,
      },
    });
    return this.linkIfWritten(row);
  }

  /**
   * Links every feedback row whose log entry has been written meanwhile. The batch-time link (see the class
   * comment) covers the normal case; this catches a process that died between writing a batch and linking it.
   * Run at start-up; costs one indexed pass over the (few) rows still waiting.
   */
  linkAllWritten(): Promise<number> {
    return this.sql.execute(LINK_ALL_WRITTEN, []);
  }

  /** After the row is committed: link it if its log entry is in the database already (else the log links it later). */
  private async linkIfWritten<T extends { id: number; pendingLogId: string | null }>(row: T): Promise<T> {
    if (row.pendingLogId === null) return row;
    try {
      const linked = await this.prisma.$executeRaw`UPDATE "feedback" SET "related_log_id" = "pending_log_id", "pending_log_id" = NULL
        WHERE "feedback_id" = ${row.id} AND "pending_log_id" IS NOT NULL
        AND EXISTS (SELECT 1 FROM "activity_log" WHERE "activity_log"."log_id" = "feedback"."pending_log_id")`;
      return linked > 0 ? { ...row, relatedLogId: row.pendingLogId, pendingLogId: null } : row;
    } catch {
      // The feedback is stored; the link waits for the log's next batch or the next start-up.
      return row;
    }
  }
}

function ratingWhere(userId: number, target: RatingTarget): Prisma.FeedbackWhereInput {
  const where: Prisma.FeedbackWhereInput = { userId, rating: { not: null } };
  if (target.generationId != null) where.relatedGenerationId = target.generationId;
  else if (target.savedContentId != null) where.relatedSavedContentId = target.savedContentId;
  else where.OR = [{ relatedLogId: target.logId ?? '' }, { pendingLogId: target.logId ?? '' }];
  return where;
}
