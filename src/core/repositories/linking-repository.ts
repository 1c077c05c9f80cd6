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
  /** The undo record (when the code's account is known): the code's account is told and may undo for 24 h. */
  undoId?: number;
}

/** How long the account that made the code may undo the link. */
export const UNDO_HOURS = 24;

export interface CodeOwner {
  platform: string;
  externalId: string;
  chatId: string;
}

/** A link notice due: to the account that made the code. */
export interface LinkNotice {
  id: number;
  platform: string;
  chatId: string;
  otherName: string;
  otherPlatforms: string;
  /** The kept learner's interface language, if set. */
  language: string | null;
}

/** The ids of everything of the other learner that a merge moves (and an undo moves back). */
interface MovedIds {
  accounts: number[];
  accountPlatforms: string[];
  savedContent: number[];
  reviewCard: number[];
  reviewLog: number[];
  exerciseAttempt: number[];
  curriculum: string[];
  generation: number[];
  feedback: number[];
  activityLog: string[];
  simulationTurn: number[];
  startedSessions: number[];
  participants: number[];
}

interface UndoRecord extends MovedIds {
  /** The other learner's own columns, to make them a learner again. */
  user: Record<string, unknown>;
  /** The settings the kept learner received from the other one (reverted when still unchanged). */
  filled: Record<string, unknown>;
}

export interface UndoSummary {
  /** The learner the other accounts belong to again. */
  userId: number;
  platforms: string[];
  savedItems: number;
  cards: number;
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

  /**
   * Stores a new code for the learner, replacing theirs (one active code each); expired codes are cleared.
   * `owner` is the account and private chat that asked for it: told when it is used, and may undo the link.
   */
  async replaceCode(userId: number, codeHash: string, expiresAt: Date, now: Date, owner?: CodeOwner): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.linkCode.deleteMany({ where: { OR: [{ userId }, { expiresAt: { lte: now } }] } }),
      this.prisma.linkCode.create({ data: { code: codeHash, userId, expiresAt, ...(owner ?? {}) } }),
    ]);
  }

  findCode(codeHash: string) {
    return this.prisma.linkCode.findUnique({ where: { code: codeHash }, select: { userId: true, expiresAt: true } });
  }

  /**
   * Takes one guess for `account` in its current window (a new window of `windowMs` once the last one ended),
   * atomically in the database: concurrent requests and other processes each get their own count. Returns the
   * count including this guess, and when the window ends.
   */
  async takeGuess(account: string, now: Date, windowMs: number): Promise<{ count: number; windowEndsAt: Date }> {
    await this.prisma.linkAttempt.deleteMany({ where: { account, windowEndsAt: { lte: now } } });
    for (let attempt = 0; ; attempt += 1) {
      try {
        // One unique field in where, same value in create: Prisma runs this as INSERT … ON CONFLICT DO UPDATE.
        return await this.prisma.linkAttempt.upsert({
          where: { account },
          create: { account, count: 1, windowEndsAt: new Date(now.getTime() + windowMs) },
          update: { count: { increment: 1 } },
          select: { count: true, windowEndsAt: true },
        });
      } catch (error) {
        // Two first guesses at once where the upsert is not native: the loser increments the winner's row.
        if (attempt >= 3 || (error as { code?: unknown }).code !== 'P2002') throw error;
      }
    }
  }

  /** Gives a guess back (the code was a real one: not a wrong guess). */
  async returnGuess(account: string): Promise<void> {
    await this.prisma.linkAttempt.updateMany({ where: { account, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
  }

  /**
   * Uses the code and moves everything of learner `fromId` to learner `intoId` (the code's owner), in one
   * transaction: either all of it happens or nothing. Returns null when the code was used or expired meanwhile.
   */
  merge(codeHash: string, intoId: number, fromId: number, now: Date): Promise<MergeSummary | null> {
    return this.prisma.$transaction(
      async (tx) => {
        // Single use: only one redemption can delete the code, even across processes.
        const code = await tx.linkCode.findUnique({ where: { code: codeHash } });
        const used = await tx.linkCode.deleteMany({ where: { code: codeHash, userId: intoId, expiresAt: { gt: now } } });
        if (used.count !== 1) return null;
        // What moves, by id, before it moves: an undo moves exactly these rows back (see undo).
        const record = await recordMovable(tx, fromId);
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
        let undoId: number | undefined;
        if (code?.platform && code.externalId && code.chatId) {
          const full: UndoRecord = { ...record, user: userSnapshot(from), filled: patch as Record<string, unknown> };
          const undo = await tx.linkUndo.create({
            data: {
              userId: intoId,
              notifyPlatform: code.platform,
              notifyExternalId: code.externalId,
              notifyChatId: code.chatId,
              otherName: from.displayName,
              otherPlatforms: [...new Set(record.accountPlatforms)].join(', '),
              record: JSON.stringify(full),
              expiresAt: new Date(now.getTime() + UNDO_HOURS * 3_600_000),
            },
          });
          undoId = undo.id;
        }
        return {
          platforms: [...new Set(accounts.map((a) => a.platform))],
          moved,
          duplicateCards,
          filledSettings: filled,
          ...(undoId !== undefined ? { undoId } : {}),
        };
      },
      // A long-time learner has many rows; give the merge room (PostgreSQL's default is 5 s).
      { maxWait: 10_000, timeout: 60_000 },
    );
  }

  /**
   * Claims the link notices due to accounts on these platforms (set notifiedAt, so one process sends each).
   * Returns them; a notice that could not be delivered is handed back with `releaseNotice`.
   */
  async claimNotices(platforms: readonly string[], now: Date, limit = 20): Promise<LinkNotice[]> {
    const due = await this.prisma.linkUndo.findMany({
      where: { notifiedAt: null, expiresAt: { gt: now }, notifyPlatform: { in: [...platforms] } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, notifyPlatform: true, notifyChatId: true, otherName: true, otherPlatforms: true, user: { select: { defaultBaseLanguage: true } } },
    });
    const claimed: LinkNotice[] = [];
    for (const row of due) {
      const { count } = await this.prisma.linkUndo.updateMany({ where: { id: row.id, notifiedAt: null }, data: { notifiedAt: now } });
      if (count === 1) {
        claimed.push({
          id: row.id,
          platform: row.notifyPlatform,
          chatId: row.notifyChatId,
          otherName: row.otherName,
          otherPlatforms: row.otherPlatforms,
          language: row.user.defaultBaseLanguage,
        });
      }
    }
    return claimed;
  }

  async releaseNotice(id: number): Promise<void> {
    await this.prisma.linkUndo.updateMany({ where: { id }, data: { notifiedAt: null } });
  }

  /**
   * Undoes link `undoId` for the account that made the code (platform, externalId), within its 24 hours: the
   * other learner's platform accounts become a learner again (with their old settings), and every row the
   * merge moved and the kept learner still has goes back to them. Null when not allowed, expired or done.
   */
  undo(undoId: number, account: { platform: string; externalId: string }, now: Date): Promise<UndoSummary | null> {
    return this.prisma.$transaction(
      async (tx) => {
        const row = await tx.linkUndo.findUnique({ where: { id: undoId } });
        if (!row || row.notifyPlatform !== account.platform || row.notifyExternalId !== account.externalId) return null;
        // Single use, even across processes: only one undo can delete the record.
        const taken = await tx.linkUndo.deleteMany({ where: { id: undoId, expiresAt: { gt: now } } });
        if (taken.count !== 1) return null;
        const record = JSON.parse(row.record) as UndoRecord;
        const keptId = row.userId;
        // Settings the kept learner received and has not changed since go back to empty.
        const kept = await tx.user.findUniqueOrThrow({ where: { id: keptId } });
        const revert: Record<string, null> = {};
        for (const [column, value] of Object.entries(record.filled)) {
          if ((kept as Record<string, unknown>)[column] === value) revert[column] = null;
        }
        if (Object.keys(revert).length > 0) await tx.user.update({ where: { id: keptId }, data: revert });
        const email = record.user.email as string | null;
        const emailFree = email ? (await tx.user.count({ where: { email } })) === 0 : false;
        const restored = await tx.user.create({ data: { ...(record.user as Prisma.UserCreateInput), email: emailFree ? email : null } });
        const back = <T extends number | string>(ids: T[]) => ({ where: { id: { in: ids }, userId: keptId }, data: { userId: restored.id } });
        const accounts = await tx.platformAccount.updateMany(back(record.accounts));
        const saved = await tx.savedContent.updateMany(back(record.savedContent));
        const cards = await tx.reviewCard.updateMany(back(record.reviewCard));
        await tx.reviewLog.updateMany({ where: { id: { in: record.reviewLog }, userId: keptId, cardId: { in: record.reviewCard } }, data: { userId: restored.id } });
        await tx.exerciseAttempt.updateMany(back(record.exerciseAttempt));
        await tx.curriculum.updateMany(back(record.curriculum));
        await tx.generation.updateMany(back(record.generation));
        await tx.feedback.updateMany(back(record.feedback));
        await tx.activityLog.updateMany({ where: { id: { in: record.activityLog }, userId: keptId }, data: { userId: restored.id } });
        await tx.simulationTurn.updateMany(back(record.simulationTurn));
        await tx.simulationSession.updateMany({ where: { id: { in: record.startedSessions }, startedById: keptId }, data: { startedById: restored.id } });
        await tx.simulationParticipant.updateMany(back(record.participants));
        if (accounts.count === 0) {
          // The other accounts were unlinked meanwhile (or forgotten): nothing to give back to.
          await tx.user.delete({ where: { id: restored.id } });
          return null;
        }
        const platforms = await tx.platformAccount.findMany({ where: { userId: restored.id }, select: { platform: true } });
        return { userId: restored.id, platforms: [...new Set(platforms.map((p) => p.platform))], savedItems: saved.count, cards: cards.count };
      },
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

/** Ids of the other learner's rows, taken inside the merge's transaction before they move. */
async function recordMovable(tx: Tx, fromId: number): Promise<MovedIds> {
  const mine = { where: { userId: fromId }, select: { id: true } } as const;
  const ids = <T>(rows: Array<{ id: T }>) => rows.map((r) => r.id);
  const accounts = await tx.platformAccount.findMany({ where: { userId: fromId }, select: { id: true, platform: true } });
  return {
    accounts: ids(accounts),
    accountPlatforms: accounts.map((a) => a.platform),
    savedContent: ids(await tx.savedContent.findMany(mine)),
    reviewCard: ids(await tx.reviewCard.findMany(mine)),
    reviewLog: ids(await tx.reviewLog.findMany(mine)),
    exerciseAttempt: ids(await tx.exerciseAttempt.findMany(mine)),
    curriculum: ids(await tx.curriculum.findMany(mine)),
    generation: ids(await tx.generation.findMany(mine)),
    feedback: ids(await tx.feedback.findMany(mine)),
    activityLog: ids(await tx.activityLog.findMany(mine)),
    simulationTurn: ids(await tx.simulationTurn.findMany(mine)),
    startedSessions: ids(await tx.simulationSession.findMany({ where: { startedById: fromId }, select: { id: true } })),
    participants: ids(await tx.simulationParticipant.findMany(mine)),
  };
}

/** The other learner's own columns (not its id or relations), to recreate it on undo. */
function userSnapshot(user: UserRow): Record<string, unknown> {
  const { id: _id, ...columns } = user;
  return columns;
}
