// BACKUP_EVERY_HOURS: the running bot snapshots its SQLite database itself. It looks often and backs up only when
// the newest backup in the folder is older than the interval, so restarts and several processes on one file do
// not multiply backups (at worst two processes looking at the same moment both take one).
import { isAbsolute, join } from 'node:path';
import type { Logger } from '../../../logger.ts';
import { startTicker, type Ticker } from '../../ticker.ts';
import type { DatabaseTarget } from '../url.ts';
import { backupTime, listBackups } from './names.ts';
import { takeBackup } from './take-backup.ts';

export interface BackupSchedule {
  everyMs: number;
  dir: string;
  keep: number;
}

export function resolveBackupDir(dir: string, projectRoot: string): string {
  return isAbsolute(dir) ? dir : join(projectRoot, dir);
}

/** Whether a backup is due: none yet, or the newest is at least `everyMs` old. */
export function backupDue(dir: string, everyMs: number, now = Date.now()): boolean {
  const newest = listBackups(dir).at(-1);
  const at = newest ? backupTime(newest) : undefined;
  return !at || now - at.getTime() >= everyMs;
}

export function startBackupSchedule(target: DatabaseTarget, schedule: BackupSchedule, log: Logger): Ticker {
  const lookEveryMs = Math.min(Math.max(Math.floor(schedule.everyMs / 10), 1_000), 600_000);
  return startTicker(
    async () => {
      if (!backupDue(schedule.dir, schedule.everyMs)) return;
      const started = Date.now();
      const { file, pruned } = await takeBackup(target, { dir: schedule.dir, keep: schedule.keep });
      log.info({ file, pruned: pruned.length, ms: Date.now() - started }, 'database backup written');
    },
    { intervalMs: lookEveryMs, log, what: 'database backup' },
  );
}
