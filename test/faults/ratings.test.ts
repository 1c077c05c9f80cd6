// A rating or feedback always finds its content, whatever happened to the generation's activity-log entry:
// - still in the logger's buffer (rated at once, in the same process);
// - lost by a crash (SIGKILL with entries in the buffer; rated after a restart on the same database);
// - in another process's buffer (two terminal processes on one SQLite file, and on one PostgreSQL database:
//   one generates, the other rates).
// Every case drives the real `npm run chat` process (src/main.ts --chat). The terminal is one learner in one
// conversation (the OS user, "console:terminal"), so a second process on the same file is the same learner in
// the same conversation: `/rate` there rates what the first process generated last.
// Afterwards, in the database: one feedback row per rating, linked to its generation, and linked to the
// output's activity-log row whenever that row exists.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/client.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { PROVIDERS, sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { message, until } from './helpers.ts';

const RATED = message('rating.thanks');
const FEEDBACK_THANKS = message('feedback.thanks');
const INTERNAL = message('errors.internal');
const GENERATED = message('console.rateHint');

let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => tutorContent(req));
});
afterAll(async () => {
  await openai.close();
});

function env(url: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: 'test-key-ratings',
    USER_CALLS_PER_MINUTE: '10000',
    LLM_CALLS_PER_MINUTE: '100000',
    // Entries leave the buffer only when the process stops (or never, on SIGKILL): the window is wide open.
    ACTIVITY_LOG_MAX_AGE_MS: '600000',
    ACTIVITY_LOG_BATCH_SIZE: '10000',
  };
}

async function started(child: TutorProcess): Promise<void> {
  await until(() => child.stdoutText().includes('Language tutor ready') || child.exitCode !== null, 30_000, 'the terminal to start');
  if (child.exitCode !== null) throw new Error(`the terminal exited at start: ${child.stderrText()}`);
}

/** Types one line and waits for the answer: `expected`, or the internal-error message. Returns the answer. */
async function say(child: TutorProcess, line: string, expected: RegExp): Promise<string> {
  const from = child.stdoutText().length;
  child.stdin.write(`${line}\n`);
  const answer = () => child.stdoutText().slice(from);
  await until(() => expected.test(answer()) || INTERNAL.test(answer()), 30_000, `the answer to ${line}`);
  return answer();
}

async function stop(child: TutorProcess): Promise<void> {
  child.stdin.end();
  expect((await child.exited).code).toBe(0);
}

/** The feedback rows with their generation's output log id and whether that log row exists. */
async function feedbackRows(url: string) {
  const db = await openDatabase(url);
  try {
    const rows = await db.prisma.feedback.findMany({ orderBy: { id: 'asc' }, include: { relatedGeneration: true } });
    const logIds = new Set((await db.prisma.activityLog.findMany({ select: { id: true } })).map((r) => r.id));
    return rows.map((row) => {
      const outputLogId = row.relatedGeneration?.outputLogId ?? null;
      return {
        rating: row.rating,
        text: row.feedbackText,
        generationId: row.relatedGenerationId,
        relatedLogId: row.relatedLogId,
        outputLogId,
        logExists: outputLogId !== null && logIds.has(outputLogId),
      };
    });
  } finally {
    await db.close();
  }
}

/** Whether the output entry of the generation for `query` is in the database. */
async function outputLogged(url: string, query: string): Promise<boolean> {
  const db = await openDatabase(url, { migrate: false });
  try {
    return (await db.prisma.activityLog.count({ where: { queryText: query, direction: 'output' } })) > 0;
  } finally {
    await db.close();
  }
}

/** Every row names its generation; where the output's log row exists, the feedback points at it. */
function expectLinked(rows: Awaited<ReturnType<typeof feedbackRows>>) {
  expect(rows.filter((r) => r.generationId === null)).toEqual([]);
  expect(rows.filter((r) => r.logExists && r.relatedLogId !== r.outputLogId)).toEqual([]);
  expect(rows.filter((r) => !r.logExists && r.relatedLogId !== null)).toEqual([]);
}

describe('a rating or feedback always finds its content', () => {
  let db: TestDatabase;
  beforeAll(() => {
    db = sqliteTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('rated and commented immediately after each generation, with its log entry still in the buffer', async () => {
    const N = 12;
    const child = spawnTutor(['--chat'], env(db.url));
    let failed = 0;
    try {
      await started(child);
      for (let i = 0; i < N; i++) {
        expect(await say(child, `/flashcards topic-${i} count:1`, GENERATED)).toMatch(GENERATED);
        const rated = await say(child, `/rate ${(i % 5) + 1}`, RATED);
        const commented = await say(child, `/feedback clear cards ${i}`, FEEDBACK_THANKS);
        if (!RATED.test(rated)) failed += 1;
        if (!FEEDBACK_THANKS.test(commented)) failed += 1;
      }
      await stop(child);
    } finally {
      child.kill('SIGKILL');
    }
    console.info(`immediately after generation: ratings and feedback failed ${failed} of ${2 * N}`);
    expect(failed).toBe(0);
    const rows = await feedbackRows(db.url);
    expect(rows.filter((r) => r.rating !== null)).toHaveLength(N);
    expect(rows.filter((r) => r.text !== null)).toHaveLength(N);
    expectLinked(rows);
    // The graceful stop wrote every entry: each rating and comment points at its log row.
    expect(rows.filter((r) => !r.logExists)).toEqual([]);
  }, 120_000);

  it('after a SIGKILL, a restarted process rates each earlier generation, its output entry lost or written', async () => {
    const ROUNDS = 6;
    let failed = 0;
    // Even rounds: killed with the output entry in the buffer (lost). Odd rounds: the entry leaves by age
    // (ACTIVITY_LOG_MAX_AGE_MS=20) and the kill comes once it is in the database.
    const written = (round: number) => round % 2 === 1;
    const envFor = (round: number) => ({ ...env(db.url), ...(written(round) ? { ACTIVITY_LOG_MAX_AGE_MS: '20' } : {}) });
    let child = spawnTutor(['--chat'], envFor(0));
    try {
      await started(child);
      const before = (await feedbackRows(db.url)).length;
      for (let round = 0; round <= ROUNDS; round++) {
        // Rate what the killed process generated last …
        if (round > 0) {
          const rated = await say(child, `/rate ${(round % 5) + 1}`, RATED);
          if (!RATED.test(rated)) failed += 1;
        }
        if (round === ROUNDS) break;
        // … then generate, and die.
        expect(await say(child, `/flashcards killed-${round} count:1`, GENERATED)).toMatch(GENERATED);
        if (written(round)) await until(() => outputLogged(db.url, `killed-${round}`), 30_000, 'the output entry to be written');
        child.kill('SIGKILL');
        await child.exited;
        child = spawnTutor(['--chat'], envFor(round + 1));
        await started(child);
      }
      await stop(child);
      const rows = (await feedbackRows(db.url)).slice(before);
      const lost = rows.filter((r) => !r.logExists).length;
      console.info(`after SIGKILL and restart: ratings failed ${failed} of ${ROUNDS}; ${lost} rated generations had lost their output entry, ${rows.length - lost} had it written`);
      expect(failed).toBe(0);
      expect(rows.filter((r) => r.rating !== null)).toHaveLength(ROUNDS);
      expectLinked(rows);
      // Both paths were taken: entries lost by the kill, and entries written before it.
      expect(lost).toBe(ROUNDS / 2);
    } finally {
      child.kill('SIGKILL');
    }
  }, 180_000);
});

// Two OS processes on one database (one SQLite file; or one PostgreSQL database, where the linking must also hold
// under READ COMMITTED): the rating and the batch that writes its entry race from different processes.
describe.each(PROVIDERS)('two processes on $name', ({ name, create, skip }) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
  });

  it.skipIf(Boolean(skip))(`${skip ?? 'two processes on one database: one generates, the other rates at once (the entry in the first one’s buffer)'} (${name})`, async () => {
    const N = 15;
    const { url } = (db = await create());
    // One after the other: the first applies the migrations to the new database.
    const maker = spawnTutor(['--chat'], env(url));
    let rater: TutorProcess | undefined;
    let failed = 0;
    try {
      await started(maker);
      rater = spawnTutor(['--chat'], env(url));
      await started(rater);
      for (let i = 0; i < N; i++) {
        expect(await say(maker, `/flashcards shared-${i} count:1`, GENERATED)).toMatch(GENERATED);
        const rated = await say(rater, `/rate ${(i % 5) + 1}`, RATED);
        const commented = await say(rater, `/feedback from the other process ${i}`, FEEDBACK_THANKS);
        if (!RATED.test(rated)) failed += 1;
        if (!FEEDBACK_THANKS.test(commented)) failed += 1;
      }
      // The rater stops first: the maker's entries are still buffered, then written by the maker's stop.
      await stop(rater);
      await stop(maker);
      const rows = await feedbackRows(url);
      console.info(`two processes on ${name}: ratings and feedback failed ${failed} of ${2 * N}`);
      expect(failed).toBe(0);
      expect(rows.filter((r) => r.rating !== null)).toHaveLength(N);
      expect(rows.filter((r) => r.text !== null)).toHaveLength(N);
      expectLinked(rows);
      // Written later by the other process, the log rows were linked then.
      expect(rows.filter((r) => !r.logExists)).toEqual([]);
    } finally {
      maker.kill('SIGKILL');
      rater?.kill('SIGKILL');
    }
  }, 180_000);
});
