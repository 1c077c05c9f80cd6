// Backups as an operator takes them (README "Backups"): `npm run backup` while the bot runs, `npm run restore`
// on a stopped bot after a confirmation, and BACKUP_EVERY_HOURS in the running bot. Each step runs the README's
// own npm command in a child process against a real SQLite file or PostgreSQL database.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/client.ts';
import { projectRoot } from '../../src/core/paths.ts';
import { POSTGRES_SKIP_REASON, postgresTestDatabase, sqliteTestDatabase } from '../support/databases.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { openaiProjectKey } from '../support/fake-secrets.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { message, until } from '../faults/helpers.ts';

const GENERATED = message('console.rateHint');

let openai: FakeOpenAI;
let work: string;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => tutorContent(req));
  work = mkdtempSync(join(tmpdir(), 'tutor-backup-'));
});
afterAll(async () => {
  await openai.close();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run <script> -- …args` as an operator types it, with `input` typed at its prompt. */
function npmRun(script: string, args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function tutorEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: openaiProjectKey('backup-test'),
    USER_CALLS_PER_MINUTE: '10000',
    LLM_CALLS_PER_MINUTE: '100000',
    ACTIVITY_LOG_MAX_AGE_MS: '50',
    ...extra,
  };
}

async function startTerminal(env: Record<string, string>): Promise<TutorProcess> {
  const child = spawnTutor(['--chat'], env);
  await until(() => child.stdoutText().includes('Language tutor ready') || child.exitCode !== null, 30_000, 'the terminal to start');
  if (child.exitCode !== null) throw new Error(`the terminal exited at start: ${child.stderrText()}`);
  return child;
}

async function generate(child: TutorProcess, topic: string): Promise<void> {
  const from = child.stdoutText().length;
  child.stdin.write(`/flashcards ${topic} count:2\n`);
  await until(() => GENERATED.test(child.stdoutText().slice(from)), 30_000, `the cards on ${topic}`);
}

async function stopTerminal(child: TutorProcess): Promise<void> {
  child.stdin.end();
  expect((await child.exited).code).toBe(0);
}

/** Row count of every table of the bot's (the migrations' bookkeeping included). */
function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

/** The first `tool` on this process's PATH. */
function onPath(tool: string): string {
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, tool)));
  if (!dir) throw new Error(`${tool} is not on PATH`);
  return join(dir, tool);
}

function sqlitePath(url: string): string {
  return url.slice('file:'.length);
}

describe('npm run backup and npm run restore on SQLite', () => {
  it('snapshots a running bot, keeps BACKUP_KEEP, refuses to restore under it, and restores once it has stopped', async () => {
    const database = sqliteTestDatabase();
    const dbFile = sqlitePath(database.url);
    const backupsDir = join(work, 'sqlite-backups');
    const ops = { DATABASE_URL: database.url, BACKUP_DIR: backupsDir, BACKUP_KEEP: '2' };
    try {
      const bot = await startTerminal(tutorEnv(database.url));
      await generate(bot, 'kitchen');
      await generate(bot, 'garden');
      // Every entry written (two per generation), so the live counts hold still while the snapshot is taken.
      await until(() => (rowCounts(dbFile).activity_log ?? 0) >= 4, 10_000, 'the activity log to be written');

      const backup = await npmRun('backup', [], ops);
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      const [snapshotName] = readdirSync(backupsDir);
      expect(snapshotName).toMatch(/^tutor-\d{8}-\d{9}Z\.db$/);
      expect(backup.stdout).toContain(`Backup written: ${join(backupsDir, snapshotName!)}`);
      const snapshot = join(backupsDir, snapshotName!);
      // A valid SQLite database on its own (no -wal beside it) with the live database's rows, taken while the bot
      // held it open in WAL mode.
      const check = new Database(snapshot, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
      check.close();
      const atBackup = rowCounts(dbFile);
      expect(atBackup.generations).toBe(2);
      expect(rowCounts(snapshot)).toEqual(atBackup);

      // Retention: three more backups with BACKUP_KEEP=2 leave the newest two.
      for (let i = 0; i < 2; i++) expect((await npmRun('backup', [], ops)).code).toBe(0);
      const third = await npmRun('backup', [], ops);
      expect(third.stdout).toMatch(/Deleted 1 older backup\(s\), keeping 2/);
      const kept = readdirSync(backupsDir).sort();
      expect(kept).toHaveLength(2);
      expect(kept).not.toContain(snapshotName);
      writeFileSync(join(backupsDir, 'notes.txt'), 'not a backup'); // files the tool did not name are never pruned
      expect((await npmRun('backup', [], ops)).code).toBe(0);
      expect(readdirSync(backupsDir)).toContain('notes.txt');

      // Under the running bot, restore refuses and changes nothing.
      await npmRun('backup', [], { ...ops, BACKUP_DIR: join(work, 'first') });
      const [firstName] = readdirSync(join(work, 'first'));
      const firstSnapshot = join(work, 'first', firstName!);
      const refused = await npmRun('restore', [firstSnapshot, '--yes'], ops);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is open in process ${bot.pid}`);
      expect(refused.stderr).toContain('stop the bot first');

      // More work after the snapshot, then the bot stops.
      await generate(bot, 'street');
      await stopTerminal(bot);
      const beforeRestore = rowCounts(dbFile);
      expect(beforeRestore.generations).toBe(3);

      // Not confirmed: nothing restored.
      const declined = await npmRun('restore', [firstSnapshot], ops, 'no\n');
      expect(declined.code).toBe(1);
      expect(declined.stderr).toContain('Nothing restored (not confirmed)');
      expect(rowCounts(dbFile)).toEqual(beforeRestore);

      // Not a database of the bot's: a clear message, nothing changed.
      const text = join(work, 'not-a-backup.db');
      writeFileSync(text, 'hello');
      const wrong = await npmRun('restore', [text, '--yes'], ops);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/Nothing restored: .*not a SQLite database/);
      expect(rowCounts(dbFile)).toEqual(beforeRestore);

      // Confirmed at the prompt: the snapshot's rows are back, and the database as it was is kept.
      const restored = await npmRun('restore', [firstSnapshot], ops, 'restore\n');
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      const previous = /The database as it was is in (\S+)\.\n/.exec(restored.stdout)?.[1];
      expect(previous && existsSync(previous)).toBeTruthy();
      expect(rowCounts(previous!)).toEqual(beforeRestore);
      const afterRestore = rowCounts(dbFile);
      expect(afterRestore.generations).toBe(2);
      expect(afterRestore.activity_log).toBe(rowCounts(firstSnapshot).activity_log);

      // The bot starts on the restored database and works.
      const again = await startTerminal(tutorEnv(database.url));
      await generate(again, 'harbour');
      await stopTerminal(again);
      expect(rowCounts(dbFile).generations).toBe(3);
    } finally {
      await database.drop();
    }
  }, 240_000);

  it('BACKUP_EVERY_HOURS makes the running bot write snapshots itself', async () => {
    const database = sqliteTestDatabase();
    const backupsDir = join(work, 'scheduled');
    try {
      // 0.0002 h = 0.72 s: the first snapshot at start (none in the folder yet), the next once that one is older.
      const bot = await startTerminal(tutorEnv(database.url, { BACKUP_DIR: backupsDir, BACKUP_EVERY_HOURS: '0.0002', BACKUP_KEEP: '2' }));
      await generate(bot, 'kitchen');
      await until(() => readdirSync(backupsDir).filter((n) => n.endsWith('.db')).length >= 2, 30_000, 'two scheduled backups');
      await stopTerminal(bot);
      const files = readdirSync(backupsDir).filter((n) => n.endsWith('.db'));
      expect(files.length).toBeLessThanOrEqual(2);
      for (const name of files) {
        const db = new Database(join(backupsDir, name), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
      }
      expect(readdirSync(backupsDir).some((n) => n.endsWith('.partial'))).toBe(false);
    } finally {
      await database.drop();
    }
  }, 120_000);
});

describe.skipIf(POSTGRES_SKIP_REASON)(`npm run backup on PostgreSQL${POSTGRES_SKIP_REASON ? ` (${POSTGRES_SKIP_REASON})` : ''}`, () => {
  it('writes a pg_dump archive of the live database, and says so plainly when pg_dump is missing', async () => {
    const database = await postgresTestDatabase();
    const backupsDir = join(work, 'pg-backups');
    try {
      const db = await openDatabase(database.url); // migrated, as the bot leaves it
      await db.close();
      const done = await npmRun('backup', [], { DATABASE_URL: database.url, BACKUP_DIR: backupsDir });
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      const [name] = readdirSync(backupsDir);
      expect(name).toMatch(/^tutor-\d{8}-\d{9}Z\.pgdump$/);
      const listing = await new Promise<string>((resolve, reject) => {
        const child = spawn('pg_restore', ['--list', join(backupsDir, name!)]);
        let out = '';
        child.stdout.on('data', (d) => (out += String(d)));
        child.once('error', reject);
        child.once('exit', () => resolve(out));
      });
      expect(listing).toMatch(/TABLE public activity_log/);
      expect(listing).toMatch(/TABLE public generations/);

      // A PATH with node, npm and sh but no pg_dump.
      const bare = mkdtempSync(join(work, 'path-'));
      symlinkSync(process.execPath, join(bare, 'node'));
      symlinkSync(onPath('npm'), join(bare, 'npm'));
      symlinkSync('/bin/sh', join(bare, 'sh'));
      const missing = await npmRun('backup', [], { DATABASE_URL: database.url, BACKUP_DIR: join(work, 'pg-none'), PATH: bare });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('pg_dump is not installed, so no PostgreSQL backup was written');
      expect(existsSync(join(work, 'pg-none')) ? readdirSync(join(work, 'pg-none')) : []).toEqual([]);
    } finally {
      await database.drop();
    }
  }, 120_000);
});
