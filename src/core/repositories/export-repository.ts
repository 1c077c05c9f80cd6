import type { Db, Prisma } from '../db/client.ts';
import type { DatabaseProvider } from '../db/url.ts';
import { yieldToEventLoop } from '../yield.ts';
import { postgresTimestamp, sqliteTimestamp, wellFormed } from './sql-values.ts';
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
const ITEMS_PER_STATEMENT = 50;
const CARDS_PER_STATEMENT = 500;
const ROWS_PER_READ = 5_000;

// The rows travel as ONE JSON parameter per statement that the database unpacks (as the activity log writes,
// see activity-log-repository.ts): Prisma's createMany maps and checks every value in JavaScript, which for
// 60 000 cards kept the event loop busy for a minute. Values are written in the formats Prisma stores
// (timestamps, JSON as text on SQLite), so the rows read back through Prisma like any other.
const ITEM_COLUMNS = '"user_id", "content_type", "original_query", "content_data", "target_language", "base_language", "saved_at", "user_label", "user_notes", "number"';
const ITEM_RETURNING = 'RETURNING "saved_content_id" AS "id", "content_type" AS "contentType", "original_query" AS "originalQuery", "content_data" AS "contentData"';
const CARD_COLUMNS = '"user_id", "saved_content_id", "source", "front", "back", "example", "target_language", "due", "created_at"';
const SQL = {
  sqlite: {
    items:
      `INSERT INTO "saved_content" (${ITEM_COLUMNS}) ` +
      'SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9 FROM json_each(?) ORDER BY key ' +
      ITEM_RETURNING,
    cards: `INSERT INTO "review_cards" (${CARD_COLUMNS}) SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8 FROM json_each(?)`,
  },
  postgresql: {
    items:
      `INSERT INTO "saved_content" (${ITEM_COLUMNS}) ` +
      'SELECT (v->>0)::int, v->>1, v->>2, v->3, v->>4, v->>5, (v->>6)::timestamp(3), v->>7, v->>8, (v->>9)::int FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, n) ORDER BY n ' +
      ITEM_RETURNING,
    cards:
      `INSERT INTO "review_cards" (${CARD_COLUMNS}) ` +
      'SELECT (v->>0)::int, (v->>1)::int, v->>2, v->>3, v->>4, v->>5, v->>6, (v->>7)::timestamp(3), (v->>8)::timestamp(3) FROM jsonb_array_elements($1::jsonb) AS v',
  },
};

/** Every row a keyset-paged query returns (pages by ascending id), with the event loop running between pages. */
async function readInPages<T extends { id: number }>(page: (afterId: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let after = 0; ; ) {
    const next = await page(after);
    if (next.length === 0) return rows;
    rows.push(...next);
    after = next[next.length - 1]!.id;
    await yieldToEventLoop();
  }
}

/** What restoreAll needs of the client or of a transaction. */
type RawQueries = Pick<Db, '$queryRawUnsafe' | '$executeRawUnsafe'> & { savedContent: Pick<Prisma.TransactionClient['savedContent'], 'aggregate'> };

/** Saved items as whole rows, for /export and /import. */
export class ExportRepository {
  constructor(
    private readonly prisma: Db,
    private readonly provider: DatabaseProvider = 'sqlite',
  ) {}

  /** All of the learner's saved items, oldest first (the order an import restores them in). */
  savedItems(userId: number) {
    return this.prisma.savedContent.findMany({ where: { userId }, orderBy: { id: 'asc' } });
  }

  /** What identifies an existing item when importing: type, query and content (read a page at a time). */
  async savedItemIdentities(userId: number) {
    return readInPages((after) =>
      this.prisma.savedContent.findMany({
        where: { userId, id: { gt: after } },
        select: { id: true, contentType: true, originalQuery: true, contentData: true },
        orderBy: { id: 'asc' },
        take: ITEMS_PER_STATEMENT * 5,
      }),
    );
  }

  /** Front and back of every card in the learner's deck (they are unique per learner), read a page at a time. */
  async cardIdentities(userId: number): Promise<Array<{ front: string; back: string }>> {
    return readInPages((after) =>
      this.prisma.reviewCard.findMany({
        where: { userId, id: { gt: after } },
        select: { id: true, front: true, back: true },
        orderBy: { id: 'asc' },
        take: ROWS_PER_READ,
      }),
    );
  }

  async holdings(userId: number): Promise<{ items: number; cards: number }> {
    const [items, cards] = await Promise.all([this.prisma.savedContent.count({ where: { userId } }), this.prisma.reviewCard.count({ where: { userId } })]);
    return { items, cards };
  }

  /**
   * Restores the items and adds their cards to the deck, all or nothing, written a few hundred rows per statement
   * with the event loop running between statements. The cards must be new to the deck. Items are numbered after
   * the learner's highest number, in file order. A restored item has no generation: the generation it came
   * from may be gone or on another server.
   * - PostgreSQL: one transaction on a connection of its own.
   * - SQLite: no transaction. The adapter has one connection, so whatever other requests write between two
   *   statements (other learners' saves, the activity log) would join the transaction and be rolled back with
   *   a failed import. Each statement commits instead, and a failure deletes exactly the rows this import wrote.
   */
  async restoreAll(userId: number, items: RestoredItemWithCards[], options: RestoreOptions): Promise<{ items: number; cards: number }> {
    if (this.provider === 'postgresql') {
      return this.prisma.$transaction((tx) => this.writeAll(tx, userId, items, options, []), { timeout: options.timeoutMs, maxWait: options.timeoutMs });
    }
    const written: number[] = [];
    try {
      return await this.writeAll(this.prisma, userId, items, options, written);
    } catch (error) {
      await this.deleteWritten(written);
      throw error;
    }
  }

  private async writeAll(db: RawQueries, userId: number, items: RestoredItemWithCards[], options: RestoreOptions, written: number[]) {
    const sqlite = this.provider === 'sqlite';
    const sql = SQL[this.provider];
    const text = sqlite ? (s: string) => s : wellFormed;
    const optionalText = (s: string | null) => (s === null ? null : text(s));
    const stamp = sqlite ? sqliteTimestamp : postgresTimestamp;
    const now = stamp(options.now);
    const { _max } = await db.savedContent.aggregate({ where: { userId }, _max: { number: true } });
    const firstNumber = (_max?.number ?? 0) + 1;
    const ids = new Map<string, number>();
    for (let start = 0; start < items.length; start += ITEMS_PER_STATEMENT) {
      const chunk = items.slice(start, start + ITEMS_PER_STATEMENT);
      const rows = chunk.map((item, i) => [
        userId,
        text(item.contentType),
        text(item.originalQuery),
        // SQLite keeps Json as its text; PostgreSQL gets the value itself (jsonb).
        sqlite ? JSON.stringify(item.contentData) : item.contentData,
        optionalText(item.targetLanguage),
        optionalText(item.baseLanguage),
        stamp(item.savedAt),
        optionalText(item.userLabel),
        optionalText(item.userNotes),
        firstNumber + start + i,
      ]);
      const inserted = await db.$queryRawUnsafe<Array<{ id: number | bigint; contentType: string; originalQuery: string; contentData: unknown }>>(sql.items, JSON.stringify(rows));
      written.push(...inserted.map((row) => Number(row.id)));
      inserted.sort((x, y) => Number(x.id) - Number(y.id));
      // Ids are given in the order of the SELECT (ORDER BY the position in the parameter); should a row not
      // match its position, every row is told apart by its content instead (slower, never wrong).
      const inOrder = inserted.length === chunk.length && inserted.every((row, i) => row.contentType === chunk[i]!.contentType && row.originalQuery === chunk[i]!.originalQuery);
      for (const [i, row] of inserted.entries()) {
        if (inOrder) {
          ids.set(chunk[i]!.key, Number(row.id));
          continue;
        }
        const contentData = typeof row.contentData === 'string' ? (JSON.parse(row.contentData) as unknown) : row.contentData;
        ids.set(options.keyOf({ contentType: row.contentType, originalQuery: row.originalQuery, contentData }), Number(row.id));
      }
      await yieldToEventLoop();
    }
    const cards = items.flatMap((item) => {
      const savedContentId = ids.get(item.key);
      if (savedContentId === undefined) throw new Error('a restored item was not found among the rows written');
      return item.cards.map((card) => [userId, savedContentId, 'flashcard', text(card.front), text(card.back), optionalText(card.example), optionalText(card.targetLanguage), now, now]);
    });
    for (let start = 0; start < cards.length; start += CARDS_PER_STATEMENT) {
      await db.$executeRawUnsafe(sql.cards, JSON.stringify(cards.slice(start, start + CARDS_PER_STATEMENT)));
      await yieldToEventLoop();
    }
    return { items: items.length, cards: cards.length };
  }

  /** Undoes a failed SQLite import: its cards, then its items (a few hundred per statement). */
  private async deleteWritten(itemIds: number[]): Promise<void> {
    for (let start = 0; start < itemIds.length; start += CARDS_PER_STATEMENT) {
      const chunk = itemIds.slice(start, start + CARDS_PER_STATEMENT);
      await this.prisma.reviewCard.deleteMany({ where: { savedContentId: { in: chunk } } });
      await this.prisma.savedContent.deleteMany({ where: { id: { in: chunk } } });
      await yieldToEventLoop();
    }
  }
}
