import type { Db, Prisma } from '../db/client.ts';
import { withNextNumber } from './saved-content-repository.ts';

export interface RestoredItem {
  contentType: string;
  originalQuery: string;
  contentData: unknown;
  targetLanguage: string | null;
  baseLanguage: string | null;
  userLabel: string | null;
  userNotes: string | null;
  savedAt: Date;
}

/** Saved items as whole rows, for /export and /import. */
export class ExportRepository {
  constructor(private readonly prisma: Db) {}

  /** All of the learner's saved items, oldest first (the order an import restores them in). */
  savedItems(userId: number) {
    return this.prisma.savedContent.findMany({ where: { userId }, orderBy: { id: 'asc' } });
  }

  /** What identifies an existing item when importing: type, query and content. */
  savedItemIdentities(userId: number) {
    return this.prisma.savedContent.findMany({
      where: { userId },
      select: { contentType: true, originalQuery: true, contentData: true },
    });
  }

  /** A restored item has no generation: the generation it came from may be gone or on another server. */
  restore(userId: number, item: RestoredItem) {
    return withNextNumber(this.prisma, userId, (number) =>
      this.prisma.savedContent.create({
        data: { ...item, userId, number, generationId: null, contentData: item.contentData as Prisma.InputJsonValue },
        select: { id: true },
      }),
    );
  }
}
