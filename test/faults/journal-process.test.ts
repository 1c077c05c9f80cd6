// The activity journal against the real processes (issue 16): `node dist/main.js --chat` (what `npm run chat`
// runs) and the Telegram bot process (what `npm start` runs) are killed with SIGKILL right after the last
// reply, with every entry still waiting for its batch (ACTIVITY_LOG_MAX_AGE_MS 10 min, batches of 1 000).
// A restart on the same journal directory replays what the dead process left: every input and output entry
// of every generation is then in activity_log, each once. And two live processes never share a directory.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRecords } from '../../src/core/journal/record-codec.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { sqliteTestDatabase } from '../support/databases.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { createFakeTelegram } from '../support/fake-telegram/index.ts';
import { telegramToken } from '../support/fake-secrets.ts';
import { tempJournalDir } from '../support/journal-dir.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { activityRows, spawnTutor } from '../support/tutor-process.ts';
import { until } from './helpers.ts';

let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => tutorContent(req));
});
afterAll(async () => {
  await openai.close();
});

/** Entries in the journal's segment files (whole records), as a restart will find them. */
function journalEntries(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith('segment-'))
    .reduce((n, f) => n + countRecords(readFileSync(join(dir, f))), 0);
}

const HOLD_EVERYTHING = { ACTIVITY_LOG_MAX_AGE_MS: '600000', ACTIVITY_LOG_BATCH_SIZE: '1000' };

/** Every topic has exactly one input and one output entry; nothing else is there. */
function expectEveryEntryOnce(rows: Array<{ queryText: string; direction: string; id: string }>, topics: string[]) {
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  for (const topic of topics) {
    const mine = rows.filter((r) => new RegExp(`${topic}(?!\\d)`).test(r.queryText));
    expect(mine.map((r) => r.direction).sort(), topic).toEqual(['input', 'output']);
  }
}

describe('SIGKILL right after the last reply, then a restart on the same journal', () => {
  it('the terminal chat: every input and output entry is in activity_log after the restart, none twice', async () => {
    const db = sqliteTestDatabase();
    const journal = tempJournalDir('kill-chat');
    const env = { DATABASE_URL: db.url, OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'test-key-journal-kill', USER_CALLS_PER_MINUTE: '10000', LLM_CALLS_PER_MINUTE: '100000', ACTIVITY_JOURNAL_DIR: journal.dir };
    try {
      const child = spawnTutor(['--chat'], { ...env, ...HOLD_EVERYTHING });
      const topics = Array.from({ length: 12 }, (_, i) => `killtopic-${i}`);
      await until(() => child.stdoutText().includes('Language tutor ready'), 30_000, 'the terminal to start');
      child.stdin.write(topics.map((t) => `/flashcards ${t} count:1\n`).join(''));
      // Each finished set ends with the rating hint (a set shown while it is written does not).
      const replies = () => child.stdoutText().split('Rate it with /rate 1-5').length - 1;
      await until(() => replies() >= topics.length, 60_000, 'the last reply');
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      const inDatabaseAtKill = (await activityRows(db.url)).length;
      const inJournalAtKill = journalEntries(journal.dir);
      expect(inJournalAtKill).toBeGreaterThan(0); // the control: the kill did leave entries unwritten

      const restarted = spawnTutor(['--chat'], env);
      restarted.stdin.end(); // end of input: a graceful stop once started (and the replay written)
      const { code } = await restarted.exited;
      expect(code, restarted.stderrText()).toBe(0);
      const rows = await activityRows(db.url);
      expectEveryEntryOnce(rows, topics);
      expect(rows).toHaveLength(2 * topics.length);
      expect(journalEntries(journal.dir)).toBe(0);
      console.info(`[journal] chat SIGKILL after the last reply: ${inJournalAtKill} entries in the journal at the kill (${inDatabaseAtKill} in the database); after the restart ${rows.length} of ${2 * topics.length} in activity_log, 0 lost, 0 twice`);
    } finally {
      await db.drop();
      journal.remove();
    }
  }, 120_000);

  it('the Telegram bot process (npm start): every input and output entry is in activity_log after the restart, none twice', async () => {
    const db = sqliteTestDatabase();
    const journal = tempJournalDir('kill-bot');
    const fake = await createFakeTelegram({ token: telegramToken('734512986', 'AAJournalKillTestSecretPart_abcdefgh') });
    const env = { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: db.url, OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'test-key-journal-kill', USER_CALLS_PER_MINUTE: '10000', LLM_CALLS_PER_MINUTE: '100000', ACTIVITY_JOURNAL_DIR: journal.dir };
    try {
      const bot = await startBotProcess({ ...env, ...HOLD_EVERYTHING });
      await bot.waitForLog((l) => l.msg === 'bot ready', 60_000, 'the bot to start');
      const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
      const dm = fake.privateChat(ana);
      const topics = Array.from({ length: 6 }, (_, i) => `botkilltopic-${i}`);
      for (const topic of topics) {
        const before = fake.botMessages(dm).length;
        fake.sendText(dm, ana, `/flashcards ${topic} count:1`);
        await fake.waitUntil(() => fake.botMessages(dm).some((m, i) => i >= before && String(m.text ?? '').includes('En la cocina')), 20_000, `the answer about ${topic}`);
      }
      bot.child.kill('SIGKILL');
      expect((await bot.child.exited).signal).toBe('SIGKILL');
      const inDatabaseAtKill = (await activityRows(db.url)).length;
      const inJournalAtKill = journalEntries(journal.dir);
      expect(inJournalAtKill).toBeGreaterThan(0);

      const restarted = await startBotProcess(env);
      await restarted.waitForLog((l) => l.msg === 'activity journal: caught up; entries are written from memory again', 60_000, 'the replay');
      await restarted.stop();
      const rows = await activityRows(db.url);
      expectEveryEntryOnce(rows, topics);
      expect(rows.filter((r) => topics.some((t) => r.queryText.includes(t)))).toHaveLength(2 * topics.length);
      console.info(`[journal] Telegram bot SIGKILL after the last reply: ${inJournalAtKill} entries in the journal at the kill (${inDatabaseAtKill} in the database); after the restart all ${2 * topics.length} in activity_log, 0 lost, 0 twice`);
    } finally {
      await fake.close();
      await db.drop();
      journal.remove();
    }
  }, 150_000);
});

describe('one journal directory per process', () => {
  it('a second process on a directory in use refuses to start with a message naming ACTIVITY_JOURNAL_DIR; the first keeps working', async () => {
    const db = sqliteTestDatabase();
    const journal = tempJournalDir('shared');
    const env = { DATABASE_URL: db.url, OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'test-key-journal-lock', ACTIVITY_JOURNAL_DIR: journal.dir };
    const first = spawnTutor(['--chat'], env);
    try {
      await until(() => first.stdoutText().includes('Language tutor ready'), 30_000, 'the first terminal to start');
      const second = spawnTutor(['--chat'], env);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(second.stderrText()).toContain(`Could not start: ACTIVITY_JOURNAL_DIR ${journal.dir} is in use by another running process (pid ${first.pid})`);
      expect(second.stdoutText()).not.toContain('Language tutor ready');
      // The first is untouched: it still answers.
      first.stdin.write('/flashcards locktopic count:1\n');
      await until(() => first.stdoutText().includes('En la cocina'), 30_000, 'the first process to answer');
      first.stdin.end();
      expect((await first.exited).code).toBe(0);
    } finally {
      first.kill('SIGKILL');
      await db.drop();
      journal.remove();
    }
  }, 90_000);
});
