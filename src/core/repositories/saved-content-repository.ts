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

  create(item: NewSavedContent) {
    return this.prisma.savedContent.create({ data: { ...item, contentData: item.contentData as Prisma.InputJsonValue } });
  }

  /** The learner's copy of a generation, if they saved it already. */
  findByGeneration(userId: number, generationId: number) {
    return this.prisma.savedContent.findFirst({ where: { userId, generationId } });
  }

  /** Only the owner's item: another learner's id behaves as if it did not exist. */
  findOwned(userId: number, id: number) {
    return this.prisma.savedContent.findFirst({ where: { id, userId } });
  }

  listForUser(userId: number, skip: number, take: number) {
    return this.prisma.savedContent.findMany({
      where: { userId },
      orderBy: [{ savedAt: 'desc' }, { id: 'desc' }],
      skip,
      take,
      select: { id: true, contentType: true, originalQuery: true, userLabel: true, savedAt: true, targetLanguage: true },
    });
  }

  countForUser(userId: number) {
    return this.prisma.savedContent.count({ where: { userId } });
  }

  async deleteOwned(userId: number, id: number): Promise<boolean> {
    const { count } = await this.prisma.savedContent.deleteMany({ where: { id, userId } });
    return count > 0;
  }

  updateOwned(userId: number, id: number, patch: { userLabel?: string | null; userNotes?: string | null }) {
    return this.prisma.savedContent.updateMany({ where: { id, userId }, data: patch });
  }
}
