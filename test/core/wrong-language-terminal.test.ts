// Issue 14's "done when", tried as a new learner would: `npm run chat` (node dist/main.js --chat) in a child
// process, the real openai SDK against the fake OpenAI server. A Spanish /flashcards answered with English
// example sentences gets exactly one repair request (counted at the fake), then the Spanish content; answered so
// twice, the learner's clear message; a card with one English loanword ("el marketing") never triggers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIRequest } from '../support/fake-openai.ts';
import { openaiProjectKey } from '../support/fake-secrets.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { message } from '../faults/helpers.ts';

const ENGLISH_EXAMPLES = {
  title: 'In the kitchen',
  cards: [
    { word: 'el cuchillo', translation: 'the knife', example: 'I cut the bread with the knife.', exampleTranslation: 'I cut the bread with the knife.' },
    { word: 'la olla', translation: 'the pot', example: 'The soup is cooking in the big pot.', exampleTranslation: 'The soup is cooking in the big pot.' },
  ],
};
const LOANWORD = {
  title: 'En la oficina',
  cards: [
    { word: 'el marketing', translation: 'marketing', example: 'El marketing digital es muy importante hoy.', exampleTranslation: 'Digital marketing is very important today.' },
    { word: 'la reunión', translation: 'the meeting', example: 'La reunión empieza a las nueve.', exampleTranslation: 'The meeting starts at nine.' },
  ],
};

/** What the fake answers to each /flashcards request, in order (then its normal Spanish content). */
const script: unknown[] = [];
let openai: FakeOpenAI;
let db: TestDatabase;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  // `undefined` in the script stands for the fake's normal (Spanish) content.
  openai.respondWith((req: FakeOpenAIRequest) => (req.schemaName === 'flashcards' && script.length > 0 ? (script.shift() ?? tutorContent(req)) : tutorContent(req)));
  db = sqliteTestDatabase();
});
afterAll(async () => {
  await openai.close();
  await db.drop();
});

describe('the wrong-language check in the terminal', () => {
  it('English examples for a Spanish set: one repair, then Spanish; twice: the clear message; a loanword: no repair', async () => {
    script.push(ENGLISH_EXAMPLES, /* the repair: the fake's Spanish set */ undefined);
    script.push(ENGLISH_EXAMPLES, ENGLISH_EXAMPLES);
    script.push(LOANWORD);
    const child = spawnTutor(['--chat'], {
      LOG_FILE: 'stderr',
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: openaiProjectKey('terminal-language-test'),
      USER_CALLS_PER_MINUTE: '100',
    });
    const flashcardRequests = () => openai.requests.filter((r) => r.schemaName === 'flashcards').length;
    const outputAfter = async (line: string, requests: number, shows: RegExp) => {
      const before = child.stdoutText().length;
      child.stdin.write(`${line}\n`);
      await waitFor(child, () => shows.test(child.stdoutText().slice(before)), `the answer to ${line}`).catch((e) => { throw new Error(`${e.message}\nOUT: ${child.stdoutText().slice(before)}\nERR: ${child.stderrText().slice(-1500)}`); });
      expect(flashcardRequests()).toBe(requests);
      return child.stdoutText().slice(before);
    };

    await waitFor(child, () => child.stdoutText().includes('Language tutor ready'), 'the ready line');
    await outputAfter('/settings lang:es base:en level:A2', 0, /Saved|settings/i);

    // The answers (meanings and examples) show after "Show answers", a numbered choice in the terminal.
    const reveal = async (shown: string, example: RegExp, requests: number) => {
      const choice = /(\d+)\) Show answers/.exec(shown)?.[1];
      expect(choice).toBeDefined();
      return outputAfter(choice!, requests, example);
    };

    const repaired = await outputAfter('/flashcards kitchen words count:2', 2, /Show answers/);
    const repairedAnswers = await reveal(repaired, /Necesito el cuchillo para cocinar\./, 2);
    expect(repairedAnswers).not.toContain('I cut the bread');
    const repair = openai.requests.filter((r) => r.schemaName === 'flashcards')[1]!;
    expect(repair.messages.at(-1)!.content).toMatch(/must be in the target language \(es\), Spanish, are in English/);

    const refused = await outputAfter('/flashcards kitchen words count:2', 4, message('errors.wrongLanguage'));
    expect(refused).not.toContain('Show answers');

    const loanword = await outputAfter('/flashcards office words count:2', 5, /Show answers/);
    expect(loanword).toContain('el marketing');
    await reveal(loanword, /El marketing digital es muy importante hoy\./, 5);

    child.stdin.end();
    expect((await child.exited).code).toBe(0);
  }, 60_000);
});

/** Resolves when the child's output shows something (checked on each output chunk); fails when it exits first or after a bound. */
function waitFor(child: TutorProcess, condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', exited);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (condition()) done();
    };
    const exited = () => done(new Error(`the tutor exited while waiting for ${what}: ${child.stderrText().slice(-500)}`));
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}`)), timeoutMs);
    child.stdout.on('data', check);
    child.on('exit', exited);
    // The chunk this listener missed may already be there; tutor-process.ts collects output before us.
    setImmediate(check);
  });
}
