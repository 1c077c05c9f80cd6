import type { Db, Prisma } from '../db/client.ts';

export interface ForgottenCounts {
  accounts: number;
  saved: number;
  cards: number;
  reviews: number;
  activity: number;
  generations: number;
  feedback: number;
  curricula: number;
  sessions: number;
  turns: number;
  attempts: number;
}

/** Everything stored about one learner (for /mydata), and deleting it (for /forget). */
export class PrivacyRepository {
  constructor(private readonly prisma: Db) {}

  /** Every row that belongs to the learner. Role-plays: the learner's own turns and the tutor's, never other learners'. */
  async everythingAbout(userId: number) {
    const p = this.prisma;
    const mine = { where: { userId }, orderBy: { id: 'asc' as const } };
    const [user, platformAccounts, savedItems, feedback, activityLog, generations, reviewCards, reviewLog, curricula, exerciseAttempts, dailyUsage, linkCodes, simulationSessions] =
      await Promise.all([
        p.user.findUnique({ where: { id: userId } }),
        p.platformAccount.findMany(mine),
        p.savedContent.findMany(mine),
        p.feedback.findMany(mine),
        p.activityLog.findMany({ where: { userId }, orderBy: { timestamp: 'asc' } }),
        p.generation.findMany(mine),
        p.reviewCard.findMany(mine),
        p.reviewLog.findMany(mine),
        p.curriculum.findMany({
          where: { userId },
          orderBy: { createdAt: 'asc' },
          include: { lessons: { orderBy: { position: 'asc' }, include: { flashcards: true, exercises: true, simulations: true } } },
        }),
        p.exerciseAttempt.findMany(mine),
        p.dailyUsage.findMany({ where: { userId }, orderBy: { day: 'asc' } }),
        p.linkCode.findMany({ where: { userId } }),
        p.simulationSession.findMany({
          where: { OR: [{ startedById: userId }, { participants: { some: { userId } } }] },
          orderBy: { id: 'asc' },
          include: {
            participants: { where: { userId } },
            turns: { where: { OR: [{ userId }, { role: 'tutor' }] }, orderBy: { seq: 'asc' } },
          },
        }),
      ]);
    return { user, platformAccounts, savedItems, feedback, activityLog, generations, reviewCards, reviewLog, curricula, exerciseAttempts, dailyUsage, linkCodes, simulationSessions };
  }

  /** How many rows of each kind the learner has (shown before /forget asks for confirmation). */
  counts(userId: number): Promise<ForgottenCounts> {
    return countRows(this.prisma, userId);
  }

  /**
   * Deletes the user row; the schema's cascades delete what belongs to them, and links from other learners'
   * rows (their feedback on this learner's content) become null. Role-plays shared with others are not theirs
   * alone: those the learner started pass to the next participant (the cascade from the starter would
   * otherwise take the others' turns along), and ended ones drop the learner from their summary. Counts are
   * taken in the same transaction. Returns undefined when the learner was already gone.
   */
  async deleteUser(userId: number): Promise<ForgottenCounts | undefined> {
    return this.prisma.$transaction(async (tx) => {
      await handOverSharedSessions(tx, userId);
      await removeFromSummaries(tx, userId);
      // Others' feedback still waiting for a log entry of this learner's content: that entry will never be written.
      await tx.feedback.updateMany({ where: { pendingLogId: { not: null }, relatedGeneration: { userId } }, data: { pendingLogId: null } });
      const counts = await countRows(tx, userId);
      const { count } = await tx.user.deleteMany({ where: { id: userId } });
      return count === 0 ? undefined : counts;
    });
  }
}

/** A participant of a role-play other than the learner: a session with one is shared, not the learner's alone. */
const someoneElse = (userId: number) => ({ userId: { not: userId } });

/** Sessions the learner started that others took part in get the earliest other participant as their starter. */
async function handOverSharedSessions(tx: Prisma.TransactionClient, userId: number): Promise<void> {
  const shared = await tx.simulationSession.findMany({
    where: { startedById: userId, participants: { some: someoneElse(userId) } },
    select: { id: true, participants: { where: someoneElse(userId), orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }], take: 1, select: { userId: true } } },
  });
  for (const session of shared) {
    await tx.simulationSession.update({ where: { id: session.id }, data: { startedById: session.participants[0]!.userId } });
  }
}

/** The per-learner summaries of ended sessions the learner shared keep only the other learners' entries. */
async function removeFromSummaries(tx: Prisma.TransactionClient, userId: number): Promise<void> {
  const ended = await tx.simulationSession.findMany({
    where: { status: 'ended', startedById: { not: userId }, participants: { some: { userId } } },
    select: { id: true, summary: true },
  });
  for (const session of ended) {
    if (!Array.isArray(session.summary)) continue;
    const others = session.summary.filter((entry) => !(isRecord(entry) && entry.userId === userId));
    if (others.length !== session.summary.length) {
      await tx.simulationSession.update({ where: { id: session.id }, data: { summary: others as Prisma.InputJsonValue } });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function countRows(db: Db | Prisma.TransactionClient, userId: number): Promise<ForgottenCounts> {
  const mine = { where: { userId } };
  // One after another: inside an interactive transaction the queries share one connection anyway.
  return {
    accounts: await db.platformAccount.count(mine),
    saved: await db.savedContent.count(mine),
    cards: await db.reviewCard.count(mine),
    reviews: await db.reviewLog.count(mine),
    activity: await db.activityLog.count(mine),
    generations: await db.generation.count(mine),
    feedback: await db.feedback.count(mine),
    curricula: await db.curriculum.count(mine),
    // Only the sessions that go with the learner: those shared with others are handed over (see deleteUser).
    sessions: await db.simulationSession.count({ where: { startedById: userId, participants: { none: someoneElse(userId) } } }),
    turns: await db.simulationTurn.count(mine),
    attempts: await db.exerciseAttempt.count(mine),
  };
}
