// A consistent copy of a SQLite database that is in use, through SQLite's online backup API (better-sqlite3's
// backup()): it copies pages a step at a time between event-loop turns, and starts over by itself when another
// connection writes in between, so the copy is always one committed state of the database (WAL included).
import { renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Pages per step: 1 000 pages (4 MB with the default page size) keep each step to a few milliseconds. */
const PAGES_PER_STEP = 1_000;

export class NotATutorDatabase extends Error {
  override name = 'NotATutorDatabase';
}

/**
 * Copies the database at `source` to `destination` (written as `destination.partial`, checked, then renamed, so a
 * half-written copy never carries a backup's name). The copy is a single self-contained file (rollback journal).
 */
export async function snapshotSqlite(source: string, destination: string): Promise<{ pages: number }> {
  const partial = `${destination}.partial`;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const result = await db.backup(partial, { progress: () => PAGES_PER_STEP });
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed SQLite's check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, destination);
    return { pages: result.totalPages };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/** Opens `file` read-only and checks it is an intact SQLite database made by this bot (it has the migrations table). */
export function checkTutorSnapshot(file: string): { tables: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new NotATutorDatabase(`${file} cannot be opened: ${(error as Error).message}`);
  }
  try {
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (error) {
      throw new NotATutorDatabase(`${file} is not a SQLite database (${(error as Error).message})`);
    }
    if (check !== 'ok') throw new NotATutorDatabase(`${file} is damaged: SQLite's check says ${String(check)}`);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (!tables.includes('_prisma_migrations') || !tables.includes('activity_log')) {
      throw new NotATutorDatabase(`${file} is a SQLite database, but not one of this bot's (no migrations or activity_log table)`);
    }
    return { tables: tables.length };
  } finally {
    db.close();
  }
}
