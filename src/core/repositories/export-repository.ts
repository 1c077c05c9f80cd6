import type { Db, Prisma } from '../db/client.ts';
import { yieldToEventLoop } from '../yield.ts';
import type { NewCard } from './review-repository.ts';

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

/** An item to restore with the deck cards it brings; `key` identifies it (see savedItemKey). */
export interface RestoredItemWithCards extends RestoredItem {
  key: string;
  cards: NewCard[];
}

export interface RestoreOptions {
  /** The cards' first due date. */
  now: Date;
  /** How long the transaction may stay open before it is rolled back. */
  timeoutMs: number;
  /** The identity of a stored row, computed like `key` (the database may reorder a JSON object's keys). */
  keyOf: (row: { contentType: string; originalQuery: string; contentData: unknown }) => string;
}

/**
 * Rows per INSERT. SQLite's driver is synchronous, so one statement blocks the event loop while it runs: a few
 * hundred rows take a few milliseconds, and the event loop runs between statements.
 */
const ITEMS_PER_STATEMENT = 100;
const CARDS_PER_STATEMENT = 500;
const ROWS_PER_READ = 5_000;

/** Saved items as whole rows, for /export and /import. */
export class ExportRepository {
  constructor(private readonly prisma: Db) {}

  /** All of the learner's saved items, oldest first (the order an import restores them in). */
  savedItems(userId: number) {
    return this.prisma.savedContent.findMany({ where: { userId }, orderBy: { id: 'asc' } });
  }

  /** What identifies an existing item when importing: type, query and content (read a page at a time). */
  async savedItemIdentities(userId: number) {
    const rows: Array<{ id: number; contentType: string; originalQuery: string; contentData: unknown }> = [];
    for (let after = 0; ; ) {
      const page = await this.prisma.savedContent.findMany({
        where: { userId, id: { gt: after } },
        select: { id: true, contentType: true, originalQuery: true, contentData: true },
        orderBy: { id: 'asc' },
        take: ITEMS_PER_STATEMENT * 5,
      });
      rows.push(...page);
      if (page.length === 0) return rows;
      after = page[page.length - 1]!.id;
      await yieldToEventLoop();
    }
  }

  /** Front and back of every card in the learner's deck (they are unique per learner), read a page at a time. */
  async cardIdentities(userId: number): Promise<Array<{ front: string; back: string }>> {
    const rows: Array<{ front: string; back: string }> = [];
    for (let after = 0; ; ) {
      const page = await this.prisma.reviewCard.findMany({
        where: { userId, id: { gt: after } },
        select: { id: true, front: true, back: true },
        orderBy: { id: 'asc' },
        take: ROWS_PER_READ,
      });
      rows.push(...page);
      if (page.length === 0) return rows;
      after = page[page.length - 1]!.id;
      await yieldToEventLoop();
    }
  }

  async holdings(userId: number): Promise<{ items: number; cards: number }> {
    const [items, cards] = await Promise.all([this.prisma.savedContent.count({ where: { userId } }), this.prisma.reviewCard.count({ where: { userId } })]);
    return { items, cards };
  }

  /**
   * Restores the items and adds their cards to the deck, all or nothing: one transaction, written a few hundred
   * rows per statement with the event loop running between statements. The cards must be new to the deck.
   * A restored item has no generation: the generation it came from may be gone or on another server.
   */
  async restoreAll(userId: number, items: RestoredItemWithCards[], options: RestoreOptions): Promise<{ items: number; cards: number }> {
    return this.prisma.$transaction(
      async (tx) => {
        const ids = new Map<string, number>();
        for (let start = 0; start < items.length; start += ITEMS_PER_STATEMENT) {
          const chunk = items.slice(start, start + ITEMS_PER_STATEMENT);
          const rows = await tx.savedContent.createManyAndReturn({
            data: chunk.map(({ key: _key, cards: _cards, ...item }) => ({ ...item, userId, generationId: null, contentData: item.contentData as Prisma.InputJsonValue })),
            select: { id: true, contentType: true, originalQuery: true, contentData: true },
          });
          for (const row of rows) ids.set(options.keyOf(row), row.id);
          await yieldToEventLoop();
        }
        const cards = items.flatMap((item) => {
          const savedContentId = ids.get(item.key);
          if (savedContentId === undefined) throw new Error('a restored item was not found among the rows written');
          return item.cards.map((card) => ({ ...card, userId, source: 'flashcard', savedContentId, due: options.now }));
        });
        for (let start = 0; start < cards.length; start += CARDS_PER_STATEMENT) {
          await tx.reviewCard.createMany({ data: cards.slice(start, start + CARDS_PER_STATEMENT) });
          await yieldToEventLoop();
        }
        return { items: items.length, cards: cards.length };
      },
      { timeout: options.timeoutMs, maxWait: options.timeoutMs },
    );
  }
}
