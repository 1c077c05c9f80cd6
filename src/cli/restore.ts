// `npm run restore -- <file> [--yes]`: puts a SQLite backup back in place of DATABASE_URL's file, for a stopped
// bot, after a confirmation. The database as it was is copied beside the backups first (pre-restore-….db).
import 'dotenv/config';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { configSchema } from '../config.ts';
import { projectRoot } from '../core/paths.ts';
import { parseDatabaseUrl } from '../core/db/url.ts';
import { resolveBackupDir } from '../core/db/backup/schedule.ts';
import { restoreObstacle, restoreSqlite } from '../core/db/backup/restore-sqlite.ts';

const args = process.argv.slice(2);
const yes = args.includes('--yes');
const file = args.find((arg) => !arg.startsWith('--'));

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

if (!file) fail('usage: npm run restore -- <backup file> [--yes]', 2);
const target = parseDatabaseUrl(process.env.DATABASE_URL?.trim() || undefined);
if (target.provider !== 'sqlite' || target.location === ':memory:') {
  fail(
    'restore puts back SQLite backups. For PostgreSQL, restore a .pgdump with pg_restore into a stopped bot\'s database, e.g.\n' +
      '  pg_restore --clean --if-exists --no-owner --dbname=<DATABASE_URL without ?schema=> <file>.pgdump',
  );
}
const snapshot = resolve(process.cwd(), file);
const settings = configSchema.pick({ BACKUP_DIR: true }).parse(process.env);
const backupsDir = resolveBackupDir(settings.BACKUP_DIR, projectRoot);

try {
  const obstacle = restoreObstacle(snapshot, target.location);
  if (obstacle) fail(`Nothing restored. ${obstacle}`);
} catch (error) {
  fail(`Nothing restored: ${(error as Error).message}`);
}

if (!yes) {
  console.log(`This replaces the database ${target.location}\nwith the backup ${snapshot}.\nThe current database is copied to ${backupsDir} first.`);
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  const answer = await prompt.question("Type 'restore' to go ahead: ").catch(() => '');
  prompt.close();
  if (answer.trim() !== 'restore') fail('Nothing restored (not confirmed).');
}

try {
  const { previous } = await restoreSqlite(snapshot, target.location, backupsDir);
  console.log(`Restored ${snapshot} into ${target.location}.${previous ? ` The database as it was is in ${previous}.` : ''}`);
  console.log('Start the bot as usual; it applies any newer migrations at start-up.');
} catch (error) {
  fail(`Nothing restored: ${(error as Error).message}`);
}
