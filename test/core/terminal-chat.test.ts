// `npm run chat` as a learner runs it: a real process reading stdin, the fake OpenAI server, a SQLite file.
// After end of input or SIGTERM, every activity-log entry is in the database.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIRequest } from '../support/fake-openai.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { activityRows, spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { openaiKey } from '../support/fake-secrets.ts';

const SECRET_KEY = openaiKey('secret-test-key-123456789');

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
      // Choices are numbered through the session: 1) Show answers 2) Save, then 3) Save under the revealed
      // cards, 4) Save under the exercises, 5–7 for question 1 (5 is right), 8–10 for question 2 (8 is right).
      '5',
      '8',
      '/simulate ordering at a bakery',
      'Hola, quiero pan',
      'Una barra, por favor',
      'Gracias, adiós',
      '/end',
      '/curriculum working in a restaurant lessons:3',
      '/rate 7',
    ].join('\n');
    const logFile = join(mkdtempSync(join(tmpdir(), 'tutor-log-')), 'chat.log');
    const child = spawnTutor(['--chat'], {
      LOG_FILE: logFile,
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: SECRET_KEY,
      USER_CALLS_PER_MINUTE: '100',
      ACTIVITY_LOG_MAX_AGE_MS: '600000', // nothing leaves the buffer by age: end of input must flush it
      VOICE_ENABLED: 'false', // the numbered choices below are those of a bot without 🔊 buttons (test/voice has them)
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
    expect(out).toContain('Right! ');
    // Logs are JSON lines in the log file (not in the conversation) and never contain the API key.
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('"msg":"shutting down"');
    expect(log).not.toContain(SECRET_KEY);
    expect(child.stderrText()).not.toContain(SECRET_KEY);
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
      OPENAI_API_KEY: 'test-key',
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

/** Waits until the terminal's output satisfies `ready` (a person reading the screen before typing on). */
async function untilOutput(child: TutorProcess, ready: (out: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (!ready(child.stdoutText())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${child.stdoutText()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return child.stdoutText();
}

/** The number shown next to a choice's label, the last time that label was offered before `end`. */
function choiceNumber(out: string, label: string, end = out.length): number {
  const matches = [...out.slice(0, end).matchAll(new RegExp(`^ +(\\d+)\\) ${label}$`, 'gm'))];
  if (matches.length === 0) throw new Error(`no choice "${label}" in:\n${out}`);
  return Number(matches.at(-1)![1]);
}

describe('terminal chat: choices, logs and waiting', () => {
  let db: TestDatabase;
  beforeAll(() => {
    db = sqliteTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('a choice stays reachable after later replies offer theirs: every number means one choice, and no log line mixes in', async () => {
    const child = spawnTutor(['--chat'], { DATABASE_URL: db.url, OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'test-key', USER_CALLS_PER_MINUTE: '100' });
    try {
      await untilOutput(child, (o) => o.includes('Language tutor ready'), 'the start');
      child.stdin.write('/flashcards fruit count:2\n');
      let out = await untilOutput(child, (o) => /\d+\) Save/.test(o), 'the flashcards');
      const saveFlashcards = choiceNumber(out, 'Save');
      // One footer under the cards: the terminal's /rate and /save hint, not the platforms' as well.
      expect(out.split('Rate it with /rate 1-5, save it with /save.')).toHaveLength(2);
      expect(out).not.toContain('Rate this set');
      child.stdin.write('/exercises fruit count:2\n');
      out = await untilOutput(child, (o) => o.includes('Question 1 of 2') && /Question 1 of 2[\s\S]*\d+\) /.test(o), 'the first question');
      // A wrong answer offers "Add to my review deck"; the next question's choices come right after it.
      const wrong = choiceNumber(out, 'the table');
      child.stdin.write(`${wrong}\n`);
      out = await untilOutput(child, (o) => o.includes('Question 2 of 2') && /Question 2 of 2[\s\S]*\d+\) cortan/.test(o), 'the second question');
      const addToDeck = choiceNumber(out, 'Add to my review deck');
      // Numbers never clash: each number offered in the session is offered once.
      const offered = [...out.matchAll(/^ +(\d+)\) /gm)].map((m) => Number(m[1]));
      expect(new Set(offered).size).toBe(offered.length);
      // The first content's Save and the mistake's card are still there after newer choices appeared.
      child.stdin.write(`${saveFlashcards}\n`);
      out = await untilOutput(child, (o) => o.includes('Saved as #1'), 'the save of the flashcards');
      // Shown again from the saved list, the item has no "save it" hint: it is saved.
      const beforeShow = out.length;
      child.stdin.write('/saved 1\n');
      out = await untilOutput(child, (o) => o.slice(beforeShow).includes('Asked for: fruit'), 'the saved item');
      expect(out.slice(beforeShow)).not.toMatch(/save it|\/save\b|\d+\) Save/i);
      child.stdin.write(`${addToDeck}\n`);
      out = await untilOutput(child, (o) => o.includes('Added to your review deck.'), 'the card added');
      // The second question is still open and answered by its own number.
      child.stdin.write(`${choiceNumber(out, 'corto')}\n`);
      out = await untilOutput(child, (o) => o.includes('Done! You got'), 'the score');
      expect(out).toContain('Done! You got 1 of 2 right');
      child.stdin.end();
      expect((await child.exited).code).toBe(0);
      // Nothing of the log reaches the terminal: no JSON line on stdout or stderr (it goes to data/logs/).
      const lines = `${child.stdoutText()}\n${child.stderrText()}`.split('\n');
      expect(lines.filter((l) => l.trim().startsWith('{'))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('shows "…" at once while the model works, before the answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    openai.respondWith(async (req: FakeOpenAIRequest) => {
      held += 1;
      await gate;
      return tutorContent(req);
    });
    const child = spawnTutor(['--chat'], { DATABASE_URL: db.url, OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'test-key', USER_CALLS_PER_MINUTE: '100' });
    try {
      await untilOutput(child, (o) => o.includes('Language tutor ready'), 'the start');
      const before = child.stdoutText().length;
      child.stdin.write('/flashcards bread count:2\n');
      await untilOutput(child, (o) => o.slice(before).split('\n').includes('…'), 'the "…" line');
      // The model has the request and has not answered yet: the "…" came first.
      while (held === 0) await new Promise((r) => setTimeout(r, 25));
      expect(child.stdoutText().slice(before)).not.toContain('==');
      release();
      const out = await untilOutput(child, (o) => o.slice(before).includes('Save'), 'the flashcards');
      expect(out.slice(before).indexOf('…')).toBeLessThan(out.slice(before).indexOf('=='));
      child.stdin.end();
      expect((await child.exited).code).toBe(0);
    } finally {
      release();
      openai.respondWith((req) => tutorContent(req));
      child.kill('SIGKILL');
    }
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
