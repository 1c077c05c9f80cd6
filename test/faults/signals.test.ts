// Signals on the paths people take: the bot started the way the README starts it (`npm run chat`, `npm start`)
// or the way a process manager or container does (`node dist/main.js`), in a process group of its own as a
// terminal job is, then stopped the way a terminal (Ctrl-C: SIGINT to the whole foreground group) or a
// process manager (SIGTERM to the pid it started) stops it. Each way runs SIGNAL_TEST_RUNS times (20 in CI):
// every accepted activity-log entry must be in the database, the exit must be graceful (code 0), and no
// process of the group may be left running.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tempJournalDir } from '../support/journal-dir.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/core/paths.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { createFakeTelegram } from '../support/fake-telegram/server.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { activityRows } from '../support/tutor-process.ts';
import { sleep, until } from './helpers.ts';

const RUNS = Number(process.env.SIGNAL_TEST_RUNS ?? 20);
/** Runs of one way at the same time: a few, so that 20 runs of each way stay within a minute or two. */
const PARALLEL = 4;
const GENERATIONS = 3;
const SHUTDOWN_TIMEOUT_MS = 5_000;

type Launcher = 'npm run chat' | 'npm start' | 'node dist/main.js --chat' | 'node dist/main.js';
type Stop = 'Ctrl-C to the process group' | 'SIGTERM to the pid' | 'SIGINT to the pid';
interface Way {
  launcher: Launcher;
  stop: Stop;
}

const WAYS: Way[] = [
  { launcher: 'npm run chat', stop: 'Ctrl-C to the process group' },
  { launcher: 'npm run chat', stop: 'SIGTERM to the pid' },
  { launcher: 'node dist/main.js --chat', stop: 'Ctrl-C to the process group' },
  { launcher: 'node dist/main.js --chat', stop: 'SIGTERM to the pid' },
  { launcher: 'npm start', stop: 'Ctrl-C to the process group' },
  { launcher: 'npm start', stop: 'SIGTERM to the pid' },
  // What `docker stop` does to a container whose init runs `node dist/main.js` (the Dockerfile's CMD).
  { launcher: 'node dist/main.js', stop: 'SIGTERM to the pid' },
  { launcher: 'node dist/main.js', stop: 'SIGINT to the pid' },
];

let openai: FakeOpenAI;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => tutorContent(req));
}, 120_000);
afterAll(async () => {
  await openai?.close();
  await Promise.all(databases.map((db) => db.drop()));
  for (const journal of journals) journal.remove();
});

function launch(way: Way, env: Record<string, string>): ChildProcessWithoutNullStreams {
  const [command, ...args] = way.launcher.split(' ') as [string, ...string[]];
  // Each process its own activity journal (a directory in use by a live process is refused).
  const journal = tempJournalDir('signals-journal');
  journals.push(journal);
  return spawn(command === 'node' ? process.execPath : command, args, {
    cwd: projectRoot,
    // A job of its own, as a shell runs a command: the group a terminal's Ctrl-C goes to.
    detached: true,
    // LOG_FILE=stderr: the terminal's logs come to the test (they go to data/logs/chat.log by default).
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', LOG_FILE: 'stderr', ACTIVITY_JOURNAL_DIR: journal.dir, ...env },
  });
}
const journals: Array<{ remove(): void }> = [];

function stop(child: ChildProcessWithoutNullStreams, how: Stop): void {
  if (how === 'Ctrl-C to the process group') process.kill(-child.pid!, 'SIGINT');
  else child.kill(how === 'SIGTERM to the pid' ? 'SIGTERM' : 'SIGINT');
}

/** Processes still in the group (the launcher's pid is the group id). */
function leftInGroup(pgid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group]) => Number(group) === pgid)
    .map((parts) => parts.slice(2).join(' '));
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  expectedRows: number;
  rows: number;
  left: string[];
  stopMs: number;
  stderr: string;
}

async function runOnce(way: Way, run: number): Promise<Outcome> {
  const db = sqliteTestDatabase();
  databases.push(db);
  const chat = way.launcher.includes('--chat') || way.launcher === 'npm run chat';
  // One Bot API per bot: two bots polling one fake would take each other's updates.
  const telegram = chat ? undefined : await createFakeTelegram();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: 'test-key-signals',
    USER_CALLS_PER_MINUTE: '10000',
    LLM_CALLS_PER_MINUTE: '100000',
    // Nothing leaves the buffer by age: after the first entry, only the graceful stop writes the rest.
    ACTIVITY_LOG_MAX_AGE_MS: '600000',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    ...(telegram ? { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot } : {}),
  };
  const child = launch(way, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const topics = Array.from({ length: GENERATIONS }, (_, i) => `signals-${run}-${i}`);
  try {
    if (!telegram) {
      await until(() => stdout.includes('Language tutor ready'), 30_000, `${way.launcher} to start`);
      for (const [i, topic] of topics.entries()) {
        // Lines are answered in order: once the settings after it are on screen, the generation's reply was
        // shown and its output entry logged.
        child.stdin.write(`/flashcards ${topic} count:1\n/settings\n`);
        await until(() => stdout.split('== Your settings ==').length > i + 1, 30_000, `the reply about ${topic}`);
      }
    } else {
      await until(() => stderr.includes('"bot ready"'), 30_000, `${way.launcher} to start`);
      const learner = telegram.user({ first_name: `Signal${run}`, language_code: 'en' });
      const dm = telegram.privateChat(learner);
      for (const [i, topic] of topics.entries()) {
        const before = telegram.botMessages(dm).length;
        telegram.sendText(dm, learner, `/flashcards ${topic} count:1`);
        await telegram.waitUntil(() => telegram.botMessages(dm).length > before, 30_000, `the reply ${i + 1} about ${topic}`);
      }
    }
    const stoppedAt = Date.now();
    stop(child, way.stop);
    const { code, signal } = await Promise.race([
      exited,
      sleep(SHUTDOWN_TIMEOUT_MS + 10_000).then(() => ({ code: -1, signal: null })),
    ]);
    const stopMs = Date.now() - stoppedAt;
    // npm waits for its script to end before it exits: by now the whole group is gone, or something was left.
    const left = leftInGroup(child.pid!);
    const stored = await activityRows(db.url);
    const rows = stored.filter((row) => topics.some((topic) => row.queryText.includes(topic))).length;
    return { code, signal, expectedRows: 2 * GENERATIONS, rows, left, stopMs, stderr };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group has ended
    }
    await telegram?.close();
  }
}

describe.each(WAYS)('$launcher, stopped by $stop', (way) => {
  it(`ends gracefully with every entry written and no process left, ${RUNS} times out of ${RUNS}`, async () => {
    const outcomes: Outcome[] = [];
    for (let first = 0; first < RUNS; first += PARALLEL) {
      const batch = Array.from({ length: Math.min(PARALLEL, RUNS - first) }, (_, i) => runOnce(way, first + i));
      outcomes.push(...(await Promise.all(batch)));
    }
    const failed = outcomes.filter((o) => o.code !== 0 || o.rows !== o.expectedRows || o.left.length > 0);
    const lost = outcomes.reduce((sum, o) => sum + (o.expectedRows - o.rows), 0);
    const times = outcomes.map((o) => o.stopMs).sort((a, b) => a - b);
    console.info(
      `[signals] ${way.launcher} / ${way.stop}: ${outcomes.length - failed.length} of ${outcomes.length} graceful; ` +
        `${lost} of ${outcomes.length * 2 * GENERATIONS} entries lost; processes left: ${failed.filter((o) => o.left.length > 0).length}; ` +
        `signal to exit: median ${times[Math.floor(times.length / 2)]} ms, max ${times.at(-1)} ms`,
    );
    for (const o of failed) console.error(`[signals] failed run: ${JSON.stringify({ code: o.code, signal: o.signal, rows: o.rows, left: o.left })}\n${o.stderr.slice(-2000)}`);
    expect(failed).toEqual([]);
  }, 600_000);
});

describe('a second signal', () => {
  it('exits at once during a slow graceful stop and says how many entries may be lost', async () => {
    const db = sqliteTestDatabase();
    databases.push(db);
    const slow = await startFakeOpenAI();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    slow.respondWith(async (req) => {
      await held; // the model hangs: the line in progress keeps the graceful stop waiting
      return tutorContent(req);
    });
    const child = launch({ launcher: 'node dist/main.js --chat', stop: 'SIGTERM to the pid' }, {
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: slow.url,
      OPENAI_API_KEY: 'test-key-signals',
      ACTIVITY_LOG_MAX_AGE_MS: '600000',
      SHUTDOWN_TIMEOUT_MS: '60000',
      ACTIVITY_JOURNAL: 'off', // the message without the journal; with it, see test/faults/journal-process.test.ts
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<{ code: number | null }>((resolve) => child.on('exit', (code) => resolve({ code })));
    try {
      await until(() => stdout.includes('Language tutor ready'), 30_000, 'the terminal to start');
      child.stdin.write('/flashcards first topic count:1\n/flashcards second topic count:1\n');
      await until(() => slow.requests.length >= 1, 30_000, 'the model request');
      child.kill('SIGINT');
      await until(() => stderr.includes('"shutting down"'), 10_000, 'the graceful stop to begin');
      await sleep(1_200); // past the window in which a repeat counts as the same Ctrl-C
      child.kill('SIGINT');
      const { code } = await exited;
      expect(code).toBe(130);
      expect(stderr).toMatch(/Stopping at once: a second SIGINT\. \d+ activity-log entr(y|ies) not yet written may be lost\./);
    } finally {
      release();
      child.kill('SIGKILL');
      await slow.close();
    }
  }, 60_000);
});
