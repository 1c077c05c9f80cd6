// The SQLite file and its folder, as an operator can break them:
// - deleted under a running bot (`npm start` with HEALTH_PORT, against the fake Telegram): an error log line
//   names the file, and /healthz reports the database down (503);
// - a data folder (or database file) the bot cannot write, at start-up (`npm run chat`): a message naming the
//   path and the problem, no Rust backtrace from the migration engine, a non-zero exit code.
// Read-only as root: the tests run as root, whom permission bits do not stop (chmod 0555 changes nothing). The
// folder is made immutable instead (`chattr +i`: even root gets EPERM creating a file in it), on file systems
// that support it (ext4, xfs, btrfs) and with CAP_LINUX_IMMUTABLE (root outside a restricted container). As
// a non-root user, chmod 0555/0444 is used. Where neither really stops a write, the read-only tests skip and
// say why.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/client.ts';
import { createFakeTelegram, type FakeTelegram } from '../support/fake-telegram/index.ts';
import { spawnTutor } from '../support/tutor-process.ts';
import { startMainProcess, type MainProcess } from '../scale/support/processes.ts';
import { freePort } from '../scale/support/services.ts';

const RUST_BACKTRACE = /sql_schema_connector|schema-engine\/|wasm-function|\.rs:\d+/;

describe('the SQLite file deleted under a running bot', () => {
  let fake: FakeTelegram | undefined;
  let bot: MainProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs an error naming the file and /healthz reports the database down (503)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tutor-deleted-'));
    const file = join(dir, 'tutor.db');
    fake = await createFakeTelegram();
    const port = await freePort();
    bot = await startMainProcess({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: `file:${file}`,
      HEALTH_PORT: String(port),
      HEALTH_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((l) => l.msg === 'bot ready', 60_000, 'the bot to start');
    const health = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: response.status, ...((await response.json()) as Record<string, unknown>) };
    };
    // Control: healthy with the file in place.
    expect(await health()).toMatchObject({ status: 200, ok: true, database: 'up' });
    expect(bot.logs.filter((l) => Number(l.level) >= 50)).toEqual([]);

    unlinkSync(file);
    // Noticed by the bot itself (no /healthz call in between): an error line that names the file.
    await bot.waitForLog((l) => l.level === 50 && String(l.msg).includes(`${file} was deleted`), 30_000, 'the error line about the deleted file');
    // And by the health check, which a supervisor acts on.
    expect(await health()).toMatchObject({ status: 503, ok: false, database: 'down' });
    console.info(`deleted database file: ${String(bot.logs.find((l) => l.level === 50)?.msg)}`);
  }, 90_000);
});

/** Makes `path` really read-only for this process's user; returns how, or why that is impossible here. */
function makeReadOnly(path: string, mode: number): { how: string } | { skip: string } {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    try {
      execFileSync('chattr', ['+i', path], { stdio: 'pipe' });
      return { how: 'chattr +i' };
    } catch (error) {
      return { skip: `running as root and chattr +i failed (${String((error as Error).message).split('\n')[0]}): cannot make a folder read-only for root here` };
    }
  }
  chmodSync(path, mode);
  return { how: `chmod ${mode.toString(8)}` };
}

function undoReadOnly(path: string): void {
  try {
    execFileSync('chattr', ['-i', path], { stdio: 'pipe' });
  } catch {
    // not immutable (or no chattr)
  }
  try {
    chmodSync(path, 0o755);
  } catch {
    // gone already
  }
}

/** Whether creating a file in `folder` (or opening `file` for writing) really fails now. */
function writeFails(target: { folder: string } | { file: string }): boolean {
  try {
    if ('folder' in target) {
      const probe = join(target.folder, 'probe');
      writeFileSync(probe, '');
      unlinkSync(probe);
    } else {
      closeSync(openSync(target.file, 'r+'));
    }
    return false;
  } catch {
    return true;
  }
}

describe('a data folder the bot cannot write, at start-up', () => {
  const locked: string[] = [];
  let dir: string | undefined;
  afterEach(() => {
    for (const path of locked.splice(0)) undoReadOnly(path);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    for (const path of locked.splice(0)) undoReadOnly(path);
  });

  async function startIn(file: string) {
    const child = spawnTutor(['--chat'], { DATABASE_URL: `file:${file}`, OPENAI_API_KEY: 'test-key-readonly' });
    child.stdin.end();
    const { code } = await child.exited;
    return { code, stdout: child.stdoutText(), stderr: child.stderrText(), message: child.stderrText().split('\n').find((l) => l.startsWith('Could not start:')) };
  }

  const CASES = [
    { name: 'an empty read-only data folder', existing: false, lock: 'folder', expected: 'is not writable' },
    { name: 'a read-only data folder holding the database', existing: true, lock: 'folder', expected: 'is not writable' },
    { name: 'a read-only database file', existing: true, lock: 'file', expected: 'cannot be opened for writing' },
  ] as const;

  for (const c of CASES) {
    it(`${c.name}: a clear message naming the path and the problem, no Rust backtrace, exit code 1`, async (ctx) => {
      dir = mkdtempSync(join(tmpdir(), 'tutor-readonly-'));
      const folder = join(dir, 'data');
      const file = join(folder, 'tutor.db');
      if (c.existing) {
        const db = await openDatabase(`file:${file}`); // a database as a previous run left it
        await db.close();
      } else {
        execFileSync('mkdir', ['-p', folder]);
      }
      const path = c.lock === 'folder' ? folder : file;
      const result = makeReadOnly(path, c.lock === 'folder' ? 0o555 : 0o444);
      if ('skip' in result) return ctx.skip(result.skip);
      locked.push(path);
      if (!writeFails(c.lock === 'folder' ? { folder } : { file })) return ctx.skip(`${result.how} does not stop this user from writing ${path}`);

      const { code, stdout, stderr, message } = await startIn(file);
      console.info(`${c.name} (${result.how}): exit ${code}; ${message}`);
      expect(code).toBe(1);
      expect(stdout).not.toContain('Language tutor ready');
      expect(message).toContain(path);
      expect(message).toContain(c.expected);
      expect(message).toMatch(/EPERM|EACCES|EROFS/);
      expect(message).toContain('DATABASE_URL');
      expect(stderr).not.toMatch(RUST_BACKTRACE);
    }, 60_000);
  }

  it('a file that is not a database: the migrations (in their worker thread) fail with a clear message, exit code 1', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tutor-notadb-'));
    const file = join(dir, 'tutor.db');
    writeFileSync(file, Buffer.alloc(8192, 'not a database '));
    const { code, stdout, stderr, message } = await startIn(file);
    expect(code).toBe(1);
    expect(stdout).not.toContain('Language tutor ready');
    expect(message).toBe('Could not start: Database migration failed: file is not a database');
    expect(stderr).not.toMatch(RUST_BACKTRACE);
  }, 60_000);

  it('control: the same folder, writable, starts and stops normally', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tutor-readonly-'));
    const { code, stdout, message } = await startIn(join(dir, 'data', 'tutor.db'));
    expect(message).toBeUndefined();
    expect(stdout).toContain('Language tutor ready');
    expect(code).toBe(0);
  }, 60_000);
});
