// Bad input gets a clear message, changes nothing and costs no LLM call; the conversation goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
  const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
  await t.frontDoor.text(ana, '/flashcards fruit count:2', { addressed: true });
  await t.frontDoor.text(ana, '/save fruit', { addressed: true });
  const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
  await t.frontDoor.text(ben, '/settings lang:fr', { addressed: true });
});
afterAll(async () => {
  await t.close();
});

/** Row counts of every table: "changes nothing" means these stay equal. */
async function snapshot() {
  const p = t.prisma;
  await t.core.activityLog.flush();
  return {
    users: await p.user.findMany({ orderBy: { id: 'asc' } }),
    saved: await p.savedContent.count(),
    feedback: await p.feedback.count(),
    generations: await p.generation.count(),
    log: await p.activityLog.count(),
    sessions: await p.simulationSession.count(),
    curricula: await p.curriculum.count(),
  };
}

const cases: Array<[label: string, text: string, expected: RegExp]> = [
  ['empty topic', '/flashcards', /Please add topic/],
  ['blank topic', '/flashcards    ', /Please add topic/],
  ['10 000-character topic', `/flashcards ${'a'.repeat(10_000)}`, /too long/],
  ['a 600-character topic', `/flashcards ${'word '.repeat(120)}`, /topic is too long \(599 characters; at most 500\)/],
  ['unknown language', '/flashcards fruit lang:Klingon', /do not know the language "Klingon"/],
  ['misspelt language', '/flashcards fruit lang:Spansih', /Did you mean Spanish \(es\)\?/],
  ['unknown level', '/flashcards fruit level:Z9', /do not know the level "Z9"/],
  ['rating out of range', '/rate 7', /whole number from 1 to 5/],
  ['rating not a number', '/rate great', /whole number from 1 to 5/],
  ["another learner's saved item", '/saved 1', /You have no saved item #1/],
  ["deleting another learner's saved item", '/delete 1', /You have no saved item #1/],
  ['malformed count', '/flashcards fruit count:many', /count must be a whole number from 1 to 20/],
  ['count out of range', '/flashcards fruit count:500', /count must be a whole number from 1 to 20/],
  ['empty option value', '/flashcards fruit lang:', /needs a value/],
  ['option given twice', '/flashcards fruit lang:es lang:fr', /given twice/],
  ['bad boolean', '/settings corrections:maybe', /on or off/],
  ['unknown command', '/fly to the moon', /do not know the command \/fly/],
  ['unknown lesson part', '/lesson 1 dance', /part must be one of/],
  ['no role-play to end', '/end', /No role-play is running/],
];

describe('bad input', () => {
  it.each(cases)('%s: clear message, nothing changed, no LLM call', async (_label, text, expected) => {
    const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    const before = await snapshot();
    const llmCalls = t.openai!.requests.length;
    const replies = await t.frontDoor.text(ben, text, { addressed: true });
    expect(replyText(replies)).toMatch(expected);
    expect(t.openai!.requests.length).toBe(llmCalls);
    expect(await snapshot()).toEqual(before);
  });

  it('the chat goes on after bad input', async () => {
    const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    expect(replyText(await t.frontDoor.text(ben, '/rate 9', { addressed: true }))).toMatch(/1 to 5/);
    // lang:es: Ben learns French, and the fake model writes Spanish (the wrong-language check would refuse it).
    expect(replyText(await t.frontDoor.text(ben, '/flashcards colours count:2 lang:es', { addressed: true }))).toContain('el cuchillo');
  });

  it('a stale or forged button payload is refused without a change', async () => {
    const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    for (const data of ['', 'garbage', '1|r|999999|3', '1|a|1|0|9|0', '2|r|1|3', '1|r|1|9', 'x'.repeat(200)]) {
      const before = await snapshot();
      const replies = await t.frontDoor.action(ben, data);
      expect(replyText(replies)).toMatch(/no longer works|not available|belong to/i);
      expect(await snapshot()).toEqual(before);
    }
  });

  it('internal errors show a reference, never their text', async () => {
    const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    // A rating on a generation id that does not exist in the database: not an internal error but clear.
    expect(replyText(await t.frontDoor.action(ben, '1|r|424242|3'))).toMatch(/not available/);
  });
});
