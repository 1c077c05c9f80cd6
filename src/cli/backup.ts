// `npm run backup`: a consistent snapshot of DATABASE_URL while the bot runs, into BACKUP_DIR (data/backups/),
// keeping the newest BACKUP_KEEP. SQLite through its online backup API; PostgreSQL through pg_dump.
import 'dotenv/config';
import { configSchema } from '../config.ts';
import { projectRoot } from '../core/paths.ts';
import { parseDatabaseUrl } from '../core/db/url.ts';
import { resolveBackupDir } from '../core/db/backup/schedule.ts';
import { takeBackup } from '../core/db/backup/take-backup.ts';

const settings = configSchema.pick({ BACKUP_DIR: true, BACKUP_KEEP: true }).safeParse(process.env);
if (!settings.success) {
  console.error(`Invalid configuration: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
try {
  const target = parseDatabaseUrl(process.env.DATABASE_URL?.trim() || undefined);
  const dir = resolveBackupDir(settings.data.BACKUP_DIR, projectRoot);
  const started = Date.now();
  const { file, pruned } = await takeBackup(target, { dir, keep: settings.data.BACKUP_KEEP });
  console.log(`Backup written: ${file} (${Date.now() - started} ms).`);
  if (pruned.length > 0) console.log(`Deleted ${pruned.length} older backup(s), keeping ${settings.data.BACKUP_KEEP}: ${pruned.join(', ')}`);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
