// Whether this process takes SQLite backups itself (BACKUP_EVERY_HOURS), and where they go.
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { projectRoot } from './core/paths.ts';
import { parseDatabaseUrl, type DatabaseTarget } from './core/db/url.ts';
import { resolveBackupDir, type BackupSchedule } from './core/db/backup/schedule.ts';

export function backupScheduleFor(config: Config, logger: Logger): { target: DatabaseTarget; schedule: BackupSchedule } | undefined {
  if (config.BACKUP_EVERY_HOURS === undefined) return undefined;
  const target = parseDatabaseUrl(config.DATABASE_URL);
  if (target.provider !== 'sqlite' || target.location === ':memory:') {
    // PostgreSQL is backed up by its own tooling (or `npm run backup`, which calls pg_dump), not by every replica.
    logger.warn('BACKUP_EVERY_HOURS applies to a SQLite database only; back up PostgreSQL with `npm run backup` (pg_dump) or your provider');
    return undefined;
  }
  return {
    target,
    schedule: { everyMs: config.BACKUP_EVERY_HOURS * 3_600_000, dir: resolveBackupDir(config.BACKUP_DIR, projectRoot), keep: config.BACKUP_KEEP },
  };
}
