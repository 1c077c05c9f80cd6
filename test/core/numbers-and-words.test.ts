// Messages about numbers read right: a page past the last is named as such, an option given empty is named
// (not a required one reported missing), and counts use each language's plural forms (i18next plural keys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

let core: TestCore;
beforeAll(async () => {
  core = await createTestCore();
});
afterAll(async () => {
  await core.close();
});
const say = async (text: string, who = incomingFrom(core.logger, { id: 'ana', name: 'Ana' })) =>
  replyText(await core.frontDoor.text(who, text, { addressed: true }));

describe('numbers and words', () => {
  it('/saved page:99 says there is no such page, and the list still works', async () => {
    await say('/flashcards kitchen count:2');
    await say('/save');
    const calls = core.openai!.requests.length;
    expect(await say('/saved page:99')).toBe('There is no page 99 of your saved items; the last page is 1.');
    expect(await say('/saved page:1')).toContain('Your saved items');
    expect(core.openai!.requests.length).toBe(calls);
  });

  it('counts read right through the front door: "1 saved item" in English, "2 вопроса" in Russian', async () => {
    // Ana saved one item in the first test.
    expect(await say('/forget')).toContain('This deletes your profile and settings, 1 saved item, ');
    const olga = incomingFrom(core.logger, { id: 'olga', name: 'Ольга', locale: 'ru' });
    expect(await say('/exercises еда count:2', olga)).toMatch(/: 2 вопроса\. Отвечай по одному\./);
  });

  it('an option given empty is named, even when a required one is missing too', async () => {
    const calls = core.openai!.requests.length;
    expect(await say('/flashcards lang:')).toBe('The option lang needs a value, like lang:value.');
    expect(await say('/flashcards fruit level:')).toBe('The option level needs a value, like level:value.');
    expect(await say('/flashcards')).toContain('Please add topic.');
    expect(core.openai!.requests.length).toBe(calls);
  });
});
