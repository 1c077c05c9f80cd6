// One backup of the bot's database into the backups folder, then the retention count applied: what
// `npm run backup` runs, and what the bot runs itself every BACKUP_EVERY_HOURS (SQLite).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseTarget } from '../url.ts';
import { backupFileName, pruneBackups } from './names.ts';
import { dumpPostgres } from './postgres-dump.ts';
import { snapshotSqlite } from './sqlite-snapshot.ts';

export interface BackupResult {
  file: string;
  /** Older backups deleted by the retention count. */
  pruned: string[];
}

export async function takeBackup(target: DatabaseTarget, options: { dir: string; keep: number; now?: Date }): Promise<BackupResult> {
  if (target.provider === 'sqlite' && target.location === ':memory:') {
    throw new Error('An in-memory database (DATABASE_URL=file::memory:) has nothing on disk to back up.');
  }
  mkdirSync(options.dir, { recursive: true });
  const file = join(options.dir, backupFileName(target.provider, options.now ?? new Date()));
  if (target.provider === 'sqlite') await snapshotSqlite(target.location, file);
  else await dumpPostgres(target.location, file);
  return { file, pruned: pruneBackups(options.dir, options.keep) };
}
