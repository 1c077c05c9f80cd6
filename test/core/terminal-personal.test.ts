// Issue 14 as a new user tries it: `npm run chat` (node dist/main.js --chat) in a child process, its stdin
// piped, the fake OpenAI server answering on purpose with a word the learner already has.
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { spawnTutor } from '../support/tutor-process.ts';
import { createTestCore } from '../support/core.ts';
import { incomingFrom } from '../support/incoming.ts';
import { decodeAction } from '../../src/core/actions.ts';
import { TUTOR_SYSTEM_PROMPT } from '../../src/core/content/prompts.ts';
import { openDatabase } from '../../src/core/db/client.ts';
import { terminalChatId } from '../../src/bots/console/adapter.ts';
import type { Reply } from '../../src/core/types.ts';
import { KNOWN_WORD, personalContent } from '../support/personal-responder.ts';

let openai: FakeOpenAI;
const dbs: TestDatabase[] = [];
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith(personalContent);
});
afterAll(async () => {
  await openai.close();
  for (const db of dbs) await db.drop();
});

function freshDatabase(): TestDatabase {
  const db = sqliteTestDatabase();
  dbs.push(db);
  return db;
}

async function chat(db: TestDatabase, script: string[]): Promise<string> {
  const child = spawnTutor(['--chat'], {
    LOG_FILE: 'stderr',
    DATABASE_URL: db.url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: 'test-key-key-for-fake-server-0000',
    USER_CALLS_PER_MINUTE: '100',
  });
  child.stdin.end(`${script.join('\n')}\n`);
  expect((await child.exited).code).toBe(0);
  return child.stdoutText();
}

describe('terminal: content that fits the learner', () => {
  it('with a deck holding "la cebolla", a new /flashcards kitchen words never shows it, even when the model returns it', async () => {
    const db = freshDatabase();
    const before0 = openai.requests.length;
    const out = await chat(db, ['/settings lang:es base:en level:A2', '/flashcards vegetables count:3', '/save veg', '/flashcards kitchen words count:3', '3']);
    const [before, after] = out.split('Saved as #1');
    expect(before).toContain('La cebolla'); // positive control: shown while it was not in the deck
    expect(after).toBeDefined();
    expect(after!.toLowerCase()).not.toContain('cebolla');
    expect(after).toContain('la cuchara'); // the card asked for once more, to make up the number
    const sets = openai.requests.slice(before0).filter((r) => r.schemaName === 'flashcards');
    expect(sets).toHaveLength(3); // the first set; the second and its one follow-up
    for (const request of sets.slice(1)) {
      expect(request.messages[0]!.content).toBe(TUTOR_SYSTEM_PROMPT);
      const task = request.messages.at(-1)!.content;
      expect(task.slice(task.indexOf('About this learner:')).toLowerCase()).toContain(KNOWN_WORD);
    }
  }, 60_000);

  it('3 cards failed twice in /review: the next /exercises of 5 questions uses at least 2 and says so', async () => {
    // The reviews: Again twice needs minutes to pass (FSRS learning steps), so they run through the same front
    // door with a test clock, as this terminal learner, on the same database file; then the learner opens the terminal.
    const db = freshDatabase();
    const name = userInfo().username;
    let now = new Date(Date.now() - 60 * 60_000);
    const seed = await createTestCore({ database: { url: db.url, drop: async () => {} }, clock: () => now });
    try {
      seed.openai!.respondWith(personalContent);
      const me = incomingFrom(seed.logger, { id: name, name }, { id: terminalChatId(name) });
      for (const line of ['/settings lang:es base:en level:A2', '/flashcards vegetables count:3', '/save']) await seed.frontDoor.text(me, line, { addressed: true });
      const buttons = (replies: Reply[] | null) => (replies ?? []).flatMap((r) => (r.buttons ?? []).flat());
      for (let round = 0; round < 2; round++) {
        let replies = await seed.frontDoor.text(me, '/review', { addressed: true });
        for (;;) {
          const flip = buttons(replies).find((b) => decodeAction(b.data)?.kind === 'flip');
          if (!flip) break;
          const back = await seed.frontDoor.action(me, flip.data);
          const again = buttons(back).find((b) => { const a = decodeAction(b.data); return a?.kind === 'grade' && a.grade === 1; })!;
          replies = await seed.frontDoor.action(me, again.data);
        }
        now = new Date(now.getTime() + 15 * 60_000);
      }
    } finally {
      await seed.close();
    }
    const check = await openDatabase(db.url);
    const deck = await check.prisma.reviewCard.findMany();
    await check.close();
    expect(deck).toHaveLength(3);
    expect(deck.map((c) => ({ reps: c.reps, weak: c.stability < 1 }))).toEqual(deck.map(() => ({ reps: 2, weak: true })));

    const out = await chat(db, ['/exercises kitchen count:5']);
    expect(out).toContain('Includes 2 words you are practising.');
    expect(out).toContain(`¿Qué significa "${deck.find((c) => out.includes(c.front))?.front}"?`);
    const reopened = await openDatabase(db.url);
    try {
      const generation = await reopened.prisma.generation.findFirstOrThrow({ where: { contentType: 'exercises' }, orderBy: { id: 'desc' } });
      const questions = (generation.content as { questions: Array<{ prompt: string }> }).questions;
      expect(questions).toHaveLength(5);
      expect(questions.filter((q) => deck.some((c) => q.prompt.includes(c.front))).length).toBeGreaterThanOrEqual(2);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
