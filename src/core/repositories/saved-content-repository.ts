import type { Db, Prisma } from '../db/client.ts';

export interface NewSavedContent {
  userId: number;
  contentType: string;
  originalQuery: string;
  contentData: unknown;
  targetLanguage: string | null;
  baseLanguage: string | null;
  generationId: number | null;
  userLabel: string | null;
  userNotes: string | null;
}

export class SavedContentRepository {
  constructor(private readonly prisma: Db) {}

  /** Stores the item under the learner's next number (#1, #2 … of their own). */
  create(item: NewSavedContent) {
    return withNextNumber(this.prisma, item.userId, (number) =>
      this.prisma.savedContent.create({ data: { ...item, number, contentData: item.contentData as Prisma.InputJsonValue } }),
    );
  }

  /** The learner's copy of a generation, if they saved it already. */
  findByGeneration(userId: number, generationId: number) {
    return this.prisma.savedContent.findFirst({ where: { userId, generationId } });
  }

  /** The learner's item by their own number: another learner's items are not reachable at all. */
  findOwned(userId: number, number: number) {
    return this.prisma.savedContent.findUnique({ where: { userId_number: { userId, number } } });
  }

  listForUser(userId: number, skip: number, take: number) {
    return this.prisma.savedContent.findMany({
      where: { userId },
      orderBy: [{ savedAt: 'desc' }, { id: 'desc' }],
      skip,
      take,
      select: { id: true, number: true, contentType: true, originalQuery: true, userLabel: true, savedAt: true, targetLanguage: true },
    });
  }

  countForUser(userId: number) {
    return this.prisma.savedContent.count({ where: { userId } });
  }

  /** Deletes the learner's item by their own number. Numbers are not reused: the next save still takes max + 1. */
  async deleteOwned(userId: number, number: number): Promise<boolean> {
    const { count } = await this.prisma.savedContent.deleteMany({ where: { number, userId } });
    return count > 0;
  }

  updateOwned(userId: number, id: number, patch: { userLabel?: string | null; userNotes?: string | null }) {
    return this.prisma.savedContent.updateMany({ where: { id, userId }, data: patch });
  }
}

/**
 * Runs `create` with the learner's next item number (their highest + 1). Two saves at the same moment may pick
 * the same number: the unique (user_id, number) refuses the second, which then takes the next one.
 */
export async function withNextNumber<T>(prisma: Db, userId: number, create: (number: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const { _max } = await prisma.savedContent.aggregate({ where: { userId }, _max: { number: true } });
    try {
      return await create((_max.number ?? 0) + 1);
    } catch (error) {
      if (attempt >= 9 || (error as { code?: unknown } | null)?.code !== 'P2002') throw error;
    }
  }
}
