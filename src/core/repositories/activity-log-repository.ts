import type { ActivityEntry, ActivityLogSink } from '../activity-log.ts';
import type { Db, Prisma } from '../db/client.ts';
import type { DatabaseProvider } from '../db/url.ts';
import { isPermanentWriteError } from '../db/errors.ts';
import { postgresTimestamp, sqliteTimestamp, wellFormed } from './sql-values.ts';

/**
 * How a batch is written:
 * - 'json' (default): the whole chunk travels as ONE JSON parameter and the database unpacks it
 *   (SQLite `json_each`, PostgreSQL `jsonb_array_elements`) in one `INSERT … SELECT` through
 *   `$executeRawUnsafe`. Several times faster than createMany (docs/benchmarks.md): Prisma maps, checks and
 *   binds every value of createMany (and of a multi-row VALUES statement) in JavaScript, one by one.
 * - 'createMany': Prisma's createMany, the portable reference the benchmark compares against.
 *
 * The price of 'json': two hand-written SQL dialects and the storage formats Prisma uses, written out here
 * (SQLite timestamps as ISO 8601 text "…+00:00", the default `timestampFormat` of the better-sqlite3 adapter,
 * which src/core/db/client.ts uses; JSON as JSON.stringify text). A schema change to activity_log must be
 * made here too; `npm run bench` checks both paths write identical rows.
 */
export type ActivityLogWriteMethod = 'json' | 'createMany';

export interface ActivityLogRepositoryOptions {
  method?: ActivityLogWriteMethod;
}

/** Rows per statement: bounds the size of one JSON parameter (about 1–2 MB); larger batches use several in one transaction. */
const ROWS_PER_STATEMENT = 5_000;

const COLUMNS = '"log_id", "user_id", "timestamp", "content_type", "direction", "query_text", "target_language", "base_language", "request_metadata", "response_metadata"';

// A batch retried after a write that did commit (e.g. a lost reply from PostgreSQL) must not fail on its own
// ids: ON CONFLICT on the primary key only. (SQLite's INSERT OR IGNORE would also swallow CHECK and NOT NULL
// failures, so it is not used.) `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
const SQLITE_INSERT =
  `INSERT INTO "activity_log" (${COLUMNS}) ` +
  'SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9 ' +
  'FROM json_each(?) WHERE true ON CONFLICT ("log_id") DO NOTHING';

// Metadata objects are nested JSON here (jsonb keeps them as values); an absent one is JSON null → SQL NULL,
// as createMany writes for `undefined`. The timestamp text is UTC wall time, as the pg adapter sends it.
const POSTGRES_INSERT =
  `INSERT INTO "activity_log" (${COLUMNS}) ` +
  "SELECT v->>0, (v->>1)::int, (v->>2)::timestamp(3), v->>3, v->>4, v->>5, v->>6, v->>7, NULLIF(v->8, 'null'::jsonb), NULLIF(v->9, 'null'::jsonb) " +
  'FROM jsonb_array_elements($1::jsonb) AS v ON CONFLICT ("log_id") DO NOTHING';

// Feedback given while its entry was not yet written waits in feedback.pending_log_id (see FeedbackRepository):
// once a batch is committed, one statement links the feedback waiting for any of its entries (an index probe
// per entry; it changes nothing in the usual case). It runs after the batch's commit, not inside it, so that a
// rating committed meanwhile is seen by one side or the other (PostgreSQL's READ COMMITTED included).
const SQLITE_LINK_FEEDBACK =
  'UPDATE "feedback" SET "related_log_id" = "pending_log_id", "pending_log_id" = NULL ' +
  'WHERE "pending_log_id" IN (SELECT value FROM json_each(?))';
const POSTGRES_LINK_FEEDBACK =
  'UPDATE "feedback" SET "related_log_id" = "pending_log_id", "pending_log_id" = NULL ' +
  'WHERE "pending_log_id" IN (SELECT jsonb_array_elements_text($1::jsonb))';

/**
 * Writes activity-log batches: one INSERT per chunk, all chunks of a batch in one transaction; then links the
 * feedback that was waiting for these entries. A batch whose link failed is retried as a whole: the INSERT
 * skips the rows already there.
 */
export class ActivityLogRepository implements ActivityLogSink {
  private readonly method: ActivityLogWriteMethod;

  constructor(
    private readonly prisma: Db,
    private readonly provider: DatabaseProvider,
    options: ActivityLogRepositoryOptions = {},
  ) {
    this.method = options.method ?? 'json';
  }

  async writeBatch(entries: ActivityEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.insert(entries);
    await this.linkFeedback(entries);
  }

  private async insert(entries: ActivityEntry[]): Promise<void> {
    if (this.method === 'createMany') return this.writeWithCreateMany(entries);
    // The JSON is built here, in the writer's turn, not in the log() call that happened to fill the batch.
    await Promise.resolve();
    const sql = this.provider === 'sqlite' ? SQLITE_INSERT : POSTGRES_INSERT;
    if (entries.length <= ROWS_PER_STATEMENT) {
      await this.prisma.$executeRawUnsafe(sql, this.json(entries));
      return;
    }
    const statements = [];
    for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
      statements.push(this.prisma.$executeRawUnsafe(sql, this.json(entries.slice(start, start + ROWS_PER_STATEMENT))));
    }
    await this.prisma.$transaction(statements); // every chunk or none
  }

  /** Feedback only ever names output entries (the content a learner saw): only their ids are looked up. */
  private async linkFeedback(entries: ActivityEntry[]): Promise<void> {
    const ids: string[] = [];
    for (const e of entries) if (e.direction === 'output') ids.push(e.id);
    if (ids.length === 0) return;
    await this.prisma.$executeRawUnsafe(this.provider === 'sqlite' ? SQLITE_LINK_FEEDBACK : POSTGRES_LINK_FEEDBACK, JSON.stringify(ids));
  }

  /** A refused batch (constraint, bad value) is never retried as a whole: see BufferedActivityLog. */
  isPermanent(error: unknown): boolean {
    return isPermanentWriteError(error);
  }

  countForUser(userId: number): Promise<number> {
    return this.prisma.activityLog.count({ where: { userId } });
  }

  /**
   * One array per entry, in column order, with each value as Prisma would store it. PostgreSQL text goes
   * through toWellFormed(): a lone UTF-16 surrogate becomes U+FFFD, as when pg sends the string as UTF-8
   * (in JSON it would be an escape PostgreSQL refuses, failing the whole batch).
   */
  private json(entries: ActivityEntry[]): string {
    const sqlite = this.provider === 'sqlite';
    // SQLite: JSON's \udXXX escape of a lone surrogate is stored as the same bytes better-sqlite3 binds.
    const text = sqlite ? (s: string) => s : wellFormed;
    const rows = new Array<unknown[]>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      rows[i] = [
        text(e.id),
        e.userId,
        sqlite ? sqliteTimestamp(e.timestamp) : postgresTimestamp(e.timestamp),
        text(e.contentType),
        text(e.direction),
        text(e.queryText),
        text(e.targetLanguage),
        e.baseLanguage == null ? null : text(e.baseLanguage),
        // SQLite stores Json as JSON text: a string element, unpacked by ->> to exactly JSON.stringify's text.
        e.requestMetadata == null ? null : sqlite ? JSON.stringify(e.requestMetadata) : e.requestMetadata,
        e.responseMetadata == null ? null : sqlite ? JSON.stringify(e.responseMetadata) : e.responseMetadata,
      ];
    }
    return JSON.stringify(rows);
  }

  private async writeWithCreateMany(entries: ActivityEntry[]): Promise<void> {
    const data: Prisma.ActivityLogCreateManyInput[] = entries.map((e) => ({
      id: e.id,
      userId: e.userId,
      timestamp: e.timestamp,
      contentType: e.contentType,
      direction: e.direction,
      queryText: e.queryText,
      targetLanguage: e.targetLanguage,
      baseLanguage: e.baseLanguage ?? null,
      requestMetadata: (e.requestMetadata ?? undefined) as Prisma.InputJsonValue | undefined,
      responseMetadata: (e.responseMetadata ?? undefined) as Prisma.InputJsonValue | undefined,
    }));
    // Prisma has no skipDuplicates for SQLite; on PostgreSQL it makes a retried batch idempotent.
    const args = this.provider === 'postgresql' ? { data, skipDuplicates: true } : { data };
    await this.prisma.activityLog.createMany(args as { data: Prisma.ActivityLogCreateManyInput[] });
  }
}

