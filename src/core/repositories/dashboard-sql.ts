// The few pieces of SQL the dashboard's reads write differently on SQLite and PostgreSQL, and a small builder
// that numbers parameters for either ($1… on PostgreSQL, ? on SQLite). Storage formats as Prisma writes them:
// SQLite timestamps are ISO 8601 text ("…T…+00:00", the better-sqlite3 adapter's default) and JSON is text;
// PostgreSQL has timestamp(3) in UTC wall time and jsonb.
import type { DatabaseProvider } from '../db/url.ts';

export class SqlBuilder {
  readonly params: unknown[] = [];

  constructor(readonly provider: DatabaseProvider) {}

  /** A placeholder for `value`. */
  param(value: unknown): string {
    this.params.push(value);
    // SQLite's ? are bound by position: placeholders must be made in the order they appear in the text.
    return this.provider === 'postgresql' ? `$${this.params.length}` : '?';
  }

  /** A placeholder for a timestamp, in the column's own format. */
  time(value: Date): string {
    // PostgreSQL ignores the zone of a literal cast to timestamp (without time zone): the UTC wall time stays.
    return this.provider === 'postgresql' ? `${this.param(value.toISOString())}::timestamp(3)` : this.param(sqliteTime(value));
  }

  /** The UTC day (YYYY-MM-DD) of a timestamp column. */
  day(column: string): string {
    return this.provider === 'postgresql' ? `to_char(${column}, 'YYYY-MM-DD')` : `substr(${column}, 1, 10)`;
  }

  /** A top-level text field of a JSON column. */
  jsonText(column: string, field: string): string {
    if (!/^[A-Za-z]+$/.test(field)) throw new Error(`bad JSON field name ${field}`);
    return this.provider === 'postgresql' ? `(${column}->>'${field}')` : `json_extract(${column}, '$.${field}')`;
  }

  /** A top-level numeric field of a JSON column (0 when absent). */
  jsonNumber(column: string, field: string): string {
    return this.provider === 'postgresql' ? `COALESCE((${column}->>'${field}')::bigint, 0)` : `COALESCE(${this.jsonText(column, field)}, 0)`;
  }

  /** Case-insensitive "contains", with the learner's % and _ taken literally. */
  contains(column: string, text: string): string {
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return `${column} ${this.provider === 'postgresql' ? 'ILIKE' : 'LIKE'} ${this.param(pattern)} ESCAPE '\\'`;
  }
}

export function sqliteTime(value: Date): string {
  return value.toISOString().replace('Z', '+00:00');
}

/** COUNT and SUM come back as bigint on PostgreSQL (Number() takes bigint, decimal strings and numbers alike). */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(value);
}
