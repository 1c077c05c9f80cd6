// `npm run chat` as a learner runs it: a real process reading stdin, the fake OpenAI server, a SQLite file.
// After end of input or SIGTERM, every activity-log entry is in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { activityRows, spawnTutor } from '../support/tutor-process.ts';

let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => tutorContent(req));
});
afterAll(async () => {
  await openai.close();
});

describe('terminal chat (npm run chat)', () => {
  let db: TestDatabase;
  beforeAll(() => {
    db = sqliteTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs a scripted session from a pipe and flushes the log at end of input', async () => {
    const script = [
      '/settings lang:es base:en level:A2',
      '/flashcards kitchen words for a chef count:3',
      '1',
      '/rate 5',
      '/save chef words',
      '/saved',
      '/exercises kitchen count:2',
      '1',
      '1',
      '/simulate ordering at a bakery',
      'Hola, quiero pan',
      'Una barra, por favor',
      'Gracias, adiós',
      '/end',
      '/curriculum working in a restaurant lessons:3',
      '/rate 7',
    ].join('\n');
    const child = spawnTutor(['--chat'], {
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-secret-test-key-123456789',
      USER_CALLS_PER_MINUTE: '100',
      ACTIVITY_LOG_MAX_AGE_MS: '600000', // nothing leaves the buffer by age: end of input must flush it
    });
    child.stdin.end(`${script}\n`);
    expect((await child.exited).code).toBe(0);
    const out = child.stdoutText();
    expect(out).toContain('Language tutor ready');
    expect(out).toContain('el cuchillo');
    expect(out).toContain('Saved as #1 "chef words"');
    expect(out).toContain('✅');
    expect(out).toContain('Muy bien');
    expect(out).toContain('Role-play finished');
    expect(out).toContain('Lesson 3');
    expect(out).toContain('rating must be a whole number from 1 to 5');
    expect(out).toContain('Goodbye!');
    // Logs are JSON on stderr and never contain the API key.
    expect(child.stderrText()).not.toContain('sk-secret-test-key');
    const rows = await activityRows(db.url);
    const count = (type: string, direction: string) => rows.filter((r) => r.contentType === type && r.direction === direction).length;
    expect(count('flashcards', 'input')).toBe(1);
    expect(count('flashcards', 'output')).toBe(1);
    expect(count('exercises', 'output')).toBe(1);
    expect(count('simulation', 'output')).toBe(1);
    expect(count('simulation_turn', 'input')).toBe(3);
    expect(count('simulation_turn', 'output')).toBe(3);
    expect(count('curriculum', 'output')).toBe(1);
    expect(rows).toHaveLength(14);
  }, 60_000);

  it('SIGTERM while running: every accepted entry is written before exit', async () => {
    const before = (await activityRows(db.url)).length;
    const child = spawnTutor(['--chat'], {
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'sk-test',
      ACTIVITY_LOG_MAX_AGE_MS: '600000',
    });
    child.stdin.write('/flashcards fruit count:2\n/exercises fruit count:1\n');
    const deadline = Date.now() + 30_000;
    while (!child.stdoutText().includes('Question 1 of 1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    const rows = await activityRows(db.url);
    expect(rows.length - before).toBe(4);
  }, 60_000);
});

describe('npm start', () => {
  it('without a platform token explains what to set and how to try the terminal', async () => {
    const child = spawnTutor([], { DATABASE_URL: 'file:/nonexistent/never-opened.db' });
    child.stdin.end();
    expect((await child.exited).code).toBe(1);
    expect(child.stderrText()).toContain('TELEGRAM_BOT_TOKEN');
    expect(child.stderrText()).toContain('DISCORD_TOKEN');
    expect(child.stderrText()).toContain('npm run chat');
  });

  it('a bad setting stops the start with a message that names the variable', async () => {
    const child = spawnTutor(['--chat'], { LLM_TIMEOUT_MS: 'soon', TELEGRAM_API_ROOT: 'not a url' });
    child.stdin.end();
    expect((await child.exited).code).toBe(2);
    expect(child.stderrText()).toContain('LLM_TIMEOUT_MS');
    expect(child.stderrText()).toContain('TELEGRAM_API_ROOT');
  });
});
