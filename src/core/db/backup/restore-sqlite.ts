// Puts a SQLite snapshot back in place of the bot's database, for a stopped bot. The database as it was is kept
// first (a pre-restore copy beside the backups), so a restore can itself be undone.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { processesHolding } from './file-holders.ts';
import { checkTutorSnapshot, snapshotSqlite } from './sqlite-snapshot.ts';

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** Why the restore cannot go ahead now (checked before asking the operator), or undefined. */
export function restoreObstacle(snapshot: string, target: string): string | undefined {
  checkTutorSnapshot(snapshot); // throws NotATutorDatabase with the reason
  const holders = processesHolding([target, `${target}-wal`, `${target}-shm`]);
  if (holders && holders.length > 0) {
    return `The database ${target} is open in process ${holders.join(', ')}: stop the bot first (a restore under a running bot would be lost at its next write).`;
  }
  return undefined;
}

/** Restores `snapshot` into `target`; returns the pre-restore copy's path (none when there was no database). */
export async function restoreSqlite(snapshot: string, target: string, backupsDir: string, now = new Date()): Promise<{ previous?: string }> {
  const obstacle = restoreObstacle(snapshot, target);
  if (obstacle) throw new RestoreRefused(obstacle);
  let previous: string | undefined;
  if (existsSync(target)) {
    mkdirSync(backupsDir, { recursive: true });
    previous = join(backupsDir, `pre-restore-${now.toISOString().replace(/[-:.]/g, '')}.db`);
    await snapshotSqlite(target, previous);
  }
  const incoming = `${target}.restoring`;
  const source = new Database(snapshot, { readonly: true, fileMustExist: true });
  try {
    await source.backup(incoming);
  } catch (error) {
    rmSync(incoming, { force: true });
    throw error;
  } finally {
    source.close();
  }
  // The old database's write-ahead log belongs to the old file: SQLite would apply it to the restored one.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(incoming, target);
  return { previous };
}
