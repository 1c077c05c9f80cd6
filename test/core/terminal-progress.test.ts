// `npm run chat` while the model is still writing: a real process, the fake OpenAI server streaming slowly.
// The fake holds the rest of its stream at a chosen point until the terminal shows what was complete by then,
// so "visible before the stream ended" is proven by order, not by a clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeTokenCount, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { openaiProjectKey } from '../support/fake-secrets.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { spawnTutor, type TutorProcess } from '../support/tutor-process.ts';

let openai: FakeOpenAI;
let db: TestDatabase;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => tutorContent(req));
  db = sqliteTestDatabase();
});
afterAll(async () => {
  await openai.close();
  await db.drop();
});

/** Resolves true once `ready` holds for the output, false after `ms` (then the test fails on that false). */
function seen(child: TutorProcess, ready: (out: string) => boolean, ms = 20_000): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (ready(child.stdoutText())) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(true);
      }
    };
    const timer = setTimeout(() => {
      child.stdout.off('data', check);
      resolve(false);
    }, ms);
    child.stdout.on('data', check);
    check();
  });
}

async function untilOutput(child: TutorProcess, ready: (out: string) => boolean, what: string): Promise<void> {
  if (!(await seen(child, ready, 30_000))) throw new Error(`timed out waiting for ${what}; output so far:\n${child.stdoutText()}`);
}

describe('terminal shows the answer while the model writes it', () => {
  it('prints the first of 8 cards before the rest is sent, and a role-play reply as it grows', async () => {
    const child = spawnTutor(['--chat'], { DATABASE_URL: db.url, OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: openaiProjectKey('terminal-progress'), USER_CALLS_PER_MINUTE: '100' });
    try {
      await untilOutput(child, (out) => out.includes('Language tutor ready'), 'the prompt');
      child.stdin.write('/settings lang:es base:en level:A2\n');
      await untilOutput(child, (out) => out.split('\n').length > 4, 'settings');

      // 8 cards streamed over about 6 s, held after the first card is complete until the terminal shows it.
      const cardsJson = JSON.stringify(tutorContent({ messages: [{ role: 'user', content: 'Number of cards: exactly 8' }], schemaName: 'flashcards', body: {}, headers: {} }));
      const firstCardEnd = '"exampleTranslation":"I need the knife to cook."}';
      let firstCardBeforeRest: boolean | undefined;
      let sentWhenShown = '';
      openai.setStreaming({
        tokensPerSecond: Math.ceil(fakeTokenCount(cardsJson) / 6),
        beforeChunk: async (sent) => {
          if (firstCardBeforeRest !== undefined || !sent.includes(firstCardEnd)) return;
          firstCardBeforeRest = await seen(child, (out) => out.includes('• el cuchillo'));
          sentWhenShown = sent;
        },
      });
      const before = child.stdoutText().length;
      child.stdin.write('/flashcards kitchen words count:8\n');
      await untilOutput(child, (out) => out.slice(before).includes('Show answers'), 'the final flashcards');
      expect(firstCardBeforeRest).toBe(true);
      expect(sentWhenShown.length).toBeLessThan(cardsJson.length / 4); // the first card was shown with < 1/4 of the set sent
      const shown = child.stdoutText().slice(before);
      // Progress first (each card once, in order), then the final message with its choices.
      const progressEnd = shown.indexOf('Show answers');
      expect(shown.indexOf('• el cuchillo')).toBeLessThan(shown.indexOf('• la sartén'));
      expect(shown.indexOf('• la receta')).toBeLessThan(progressEnd);

      // A role-play reply grows: held halfway through the reply until the terminal shows that half.
      openai.setStreaming({});
      child.stdin.write('/simulate ordering at a bakery\n');
      await untilOutput(child, (out) => out.includes('¿Qué desea?'), 'the scenario');
      let halfBeforeRest: boolean | undefined;
      openai.setStreaming({
        tokensPerSecond: 40,
        beforeChunk: async (sent) => {
          if (halfBeforeRest !== undefined || !sent.includes('"reply":"Muy bien, ')) return;
          halfBeforeRest = await seen(child, (out) => /Panadero: Muy bien,[^\n]*$/.test(out) && !out.endsWith('¿Algo más?'));
        },
      });
      const beforeTurn = child.stdoutText().length;
      child.stdin.write('Hola, quiero pan\n');
      await untilOutput(child, (out) => out.slice(beforeTurn).includes('quiero un pan'), 'the corrections');
      expect(halfBeforeRest).toBe(true);
      const turn = child.stdoutText().slice(beforeTurn);
      // The reply grew before the corrections, which come with the complete turn.
      expect(turn.indexOf('Panadero: Muy bien')).toBeLessThan(turn.indexOf('quiero un pan'));
    } finally {
      openai.setStreaming({});
      child.stdin.end();
      await child.exited;
    }
  }, 90_000);
});
