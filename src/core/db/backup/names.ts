// Backup files are named after the moment they were taken, so the newest sorts last and the retention count can
// keep the newest N without reading any file: tutor-20261201-150405Z.db (SQLite) or .pgdump (PostgreSQL).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseProvider } from '../url.ts';

const EXTENSION: Record<DatabaseProvider, string> = { sqlite: 'db', postgresql: 'pgdump' };
const BACKUP_NAME = /^tutor-(\d{8}-\d{6}(?:\d{3})?Z)\.(db|pgdump)$/;

export function backupFileName(provider: DatabaseProvider, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d{3})Z$/, '$1Z');
  return `tutor-${stamp}.${EXTENSION[provider]}`;
}

/** The backups in `dir` (only files this tool names), oldest first. */
export function listBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => BACKUP_NAME.test(name)).sort();
}

/** When the backup named `name` was taken, or undefined for another file. */
export function backupTime(name: string): Date | undefined {
  const match = BACKUP_NAME.exec(name);
  if (!match) return undefined;
  const s = match[1]!;
  return new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18) || '000'}Z`);
}

/** Deletes all but the newest `keep` backups in `dir`; returns the names deleted. Other files are never touched. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const doomed = all.slice(0, Math.max(0, all.length - keep));
  for (const name of doomed) rmSync(join(dir, name), { force: true });
  return doomed;
}
