import type { Db, Prisma } from '../db/client.ts';

type Tx = Prisma.TransactionClient;

/** Settings the kept learner may receive from the other one (only where the kept learner has none). */
export type LinkedSetting = 'targetLanguage' | 'baseLanguage' | 'level' | 'timezone' | 'reminder' | 'email';

export interface MergeSummary {
  /** Every platform the kept learner is known on after the merge. */
  platforms: string[];
  moved: {
    savedItems: number;
    cards: number;
    reviews: number;
    attempts: number;
    courses: number;
    simulations: number;
    generations: number;
    feedback: number;
    activities: number;
  };
  /** Cards both decks had (same front and back): the copy with more reviews was kept. */
  duplicateCards: number;
  filledSettings: LinkedSetting[];
}

/** Scalar settings filled from the other learner when the kept one has none (the reminder is done as a whole). */
const FILLABLE = [
  ['defaultTargetLanguage', 'targetLanguage'],
  ['defaultBaseLanguage', 'baseLanguage'],
  ['level', 'level'],
  ['timezone', 'timezone'],
  ['email', 'email'],
] as const;

/** One-time link codes and the merge of two learners into one. */
export class LinkingRepository {
  constructor(private readonly prisma: Db) {}

  /** Stores a new code for the learner, replacing theirs (one active code each); expired codes are cleared. */
  async replaceCode(userId: number, codeHash: string, expiresAt: Date, now: Date): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.linkCode.deleteMany({ where: { OR: [{ userId }, { expiresAt: { lte: now } }] } }),
      this.prisma.linkCode.create({ data: { code: codeHash, userId, expiresAt } }),
    ]);
  }

  findCode(codeHash: string) {
    return this.prisma.linkCode.findUnique({ where: { code: codeHash }, select: { userId: true, expiresAt: true } });
  }

  /**
   * Uses the code and moves everything of learner `fromId` to learner `intoId` (the code's owner), in one
   * transaction: either all of it happens or nothing. Returns null when the code was used or expired meanwhile.
   */
  merge(codeHash: string, intoId: number, fromId: number, now: Date): Promise<MergeSummary | null> {
    return this.prisma.$transaction(
      async (tx) => {
        // Single use: only one redemption can delete the code, even across processes.
        const used = await tx.linkCode.deleteMany({ where: { code: codeHash, userId: intoId, expiresAt: { gt: now } } });
        if (used.count !== 1) return null;
        const [into, from] = await Promise.all([
          tx.user.findUniqueOrThrow({ where: { id: intoId } }),
          tx.user.findUniqueOrThrow({ where: { id: fromId } }),
        ]);
        const duplicateCards = await resolveDuplicateCards(tx, intoId, fromId);
        const move = { where: { userId: fromId }, data: { userId: intoId } };
        await tx.platformAccount.updateMany(move);
        const moved = {
          savedItems: await moveSavedItems(tx, intoId, fromId),
          cards: (await tx.reviewCard.updateMany(move)).count,
          reviews: (await tx.reviewLog.updateMany(move)).count,
          attempts: (await tx.exerciseAttempt.updateMany(move)).count,
          courses: (await tx.curriculum.updateMany(move)).count,
          simulations: (await tx.simulationSession.updateMany({ where: { startedById: fromId }, data: { startedById: intoId } })).count,
          generations: (await tx.generation.updateMany(move)).count,
          feedback: (await tx.feedback.updateMany(move)).count,
          activities: (await tx.activityLog.updateMany(move)).count,
        };
        await tx.simulationTurn.updateMany(move);
        await moveParticipants(tx, intoId, fromId);
        await sumDailyUsage(tx, intoId, fromId);

        const { patch, filled } = fillSettings(into, from);
        // The other learner is empty now; deleting it frees its unique e-mail before the kept learner takes it.
        await tx.user.delete({ where: { id: fromId } });
        if (filled.length > 0) await tx.user.update({ where: { id: intoId }, data: patch });
        const accounts = await tx.platformAccount.findMany({ where: { userId: intoId }, select: { platform: true }, orderBy: { id: 'asc' } });
        return { platforms: [...new Set(accounts.map((a) => a.platform))], moved, duplicateCards, filledSettings: filled };
      },
      // A long-time learner has many rows; give the merge room (PostgreSQL's default is 5 s).
      { maxWait: 10_000, timeout: 60_000 },
    );
  }
}

/**
 * The deck is unique by (learner, front, back). Where both decks have a card, keep the one reviewed more
 * (the kept learner's on a tie), give it the other's review log, and delete the other.
 */
async function resolveDuplicateCards(tx: Tx, intoId: number, fromId: number): Promise<number> {
  const select = { id: true, front: true, back: true, reps: true } as const;
  const fromCards = await tx.reviewCard.findMany({ where: { userId: fromId }, select });
  if (fromCards.length === 0) return 0;
  const intoCards = await tx.reviewCard.findMany({ where: { userId: intoId }, select });
  const key = (c: { front: string; back: string }) => `${c.front}\u0000${c.back}`;
  const intoByKey = new Map(intoCards.map((c) => [key(c), c]));
  let duplicates = 0;
  for (const card of fromCards) {
    const twin = intoByKey.get(key(card));
    if (!twin) continue;
    duplicates += 1;
    const [keep, drop] = card.reps > twin.reps ? [card, twin] : [twin, card];
    await tx.reviewLog.updateMany({ where: { cardId: drop.id }, data: { cardId: keep.id } });
    await tx.reviewCard.delete({ where: { id: drop.id } });
  }
  return duplicates;
}

/** A role-play both learners took part in keeps one participant row (unique per session and learner). */
async function moveParticipants(tx: Tx, intoId: number, fromId: number): Promise<void> {
  const shared = await tx.simulationParticipant.findMany({ where: { userId: intoId }, select: { sessionId: true } });
  await tx.simulationParticipant.deleteMany({ where: { userId: fromId, sessionId: { in: shared.map((s) => s.sessionId) } } });
  await tx.simulationParticipant.updateMany({ where: { userId: fromId }, data: { userId: intoId } });
}

/** Usage is per learner and day: days both used are added up, so the daily quota counts both accounts. */
async function sumDailyUsage(tx: Tx, intoId: number, fromId: number): Promise<void> {
  for (const row of await tx.dailyUsage.findMany({ where: { userId: fromId } })) {
    await tx.dailyUsage.upsert({
      where: { userId_day: { userId: intoId, day: row.day } },
      create: { userId: intoId, day: row.day, llmCalls: row.llmCalls, tokens: row.tokens },
      update: { llmCalls: { increment: row.llmCalls }, tokens: { increment: row.tokens } },
    });
  }
  await tx.dailyUsage.deleteMany({ where: { userId: fromId } });
}

type UserRow = Awaited<ReturnType<Tx['user']['findUniqueOrThrow']>>;

/** The kept learner's settings win; empty ones are filled from the other learner. */
function fillSettings(into: UserRow, from: UserRow): { patch: Prisma.UserUpdateInput; filled: LinkedSetting[] } {
  const patch: Record<string, unknown> = {};
  const filled: LinkedSetting[] = [];
  for (const [column, name] of FILLABLE) {
    if (into[column] === null && from[column] !== null) {
      patch[column] = from[column];
      filled.push(name);
    }
  }
  if (into.reminderHour === null && from.reminderHour !== null) {
    Object.assign(patch, {
      reminderHour: from.reminderHour,
      reminderPlatform: from.reminderPlatform,
      reminderChatId: from.reminderChatId,
      reminderLastSentOn: from.reminderLastSentOn,
    });
    filled.push('reminder');
  }
  return { patch: patch as Prisma.UserUpdateInput, filled };
}

/** The other learner's saved items join the kept learner's, numbered after theirs in the order they were saved. */
async function moveSavedItems(tx: Tx, intoId: number, fromId: number): Promise<number> {
  const { _max } = await tx.savedContent.aggregate({ where: { userId: intoId }, _max: { number: true } });
  const items = await tx.savedContent.findMany({ where: { userId: fromId }, orderBy: { number: 'asc' }, select: { id: true } });
  let next = (_max.number ?? 0) + 1;
  for (const item of items) await tx.savedContent.update({ where: { id: item.id }, data: { userId: intoId, number: next++ } });
  return items.length;
}
