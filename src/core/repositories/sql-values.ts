// Values written by hand-written SQL exactly as Prisma would store them, so that rows written either way read
// back the same through Prisma (the repositories that bypass the query compiler on hot paths use these).
import type { DatabaseProvider } from '../db/url.ts';

/** What the better-sqlite3 adapter stores for a DateTime (its default timestampFormat 'iso8601'). */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** What the pg adapter sends for a DateTime into TIMESTAMP(3): UTC wall time, no zone. */
export function postgresTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function timestampFor(provider: DatabaseProvider, date: Date): string {
  return provider === 'sqlite' ? sqliteTimestamp(date) : postgresTimestamp(date);
}

/**
 * A DateTime as hand-written SQL reads it back: a Date (Prisma's $queryRaw on PostgreSQL), ISO 8601 text (the
 * driver adapters, and $queryRaw on SQLite), or epoch milliseconds (an SQLite file written with the adapter's
 * other format, 'unixepoch-ms', as a number or a bigint).
 */
export function timeFrom(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === 'number' || typeof value === 'bigint' ? Number(value) : String(value));
}

// String.prototype.isWellFormed/toWellFormed exist from Node 20 (ES2024); the project's lib is ES2023.
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };
export function wellFormed(text: string): string {
  const s = text as Es2024String;
  return s.isWellFormed() ? text : s.toWellFormed();
}

/**
 * A Json column's parameter. SQLite stores JSON.stringify's text. PostgreSQL's jsonb refuses the \udXXX escape
 * JSON.stringify writes for a lone UTF-16 surrogate, so there every string becomes well formed first (U+FFFD),
 * which is what pg does to a text parameter.
 */
export function jsonFor(provider: DatabaseProvider, value: unknown): string {
  return provider === 'sqlite' ? JSON.stringify(value) : JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v));
}
