// A slow answer on Telegram, through the real core and the real openai SDK against a fake model that writes
// slowly: private chats see drafts (sendMessageDraft) and then one final message with its buttons; groups
// (and a server without drafts) see one message edited at most once per second, which the final reply
// replaces. The fake Bot API refuses what breaks the platform's rules (drafts outside private chats, a second
// edit of a message within a second, over 4096 characters), so `failedCalls()` being empty proves compliance.
// The fake model holds the rest of its stream until the test saw the first card, so order is proven, not timed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/actions.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { startHarness, type Harness } from './support/harness.ts';
import type { FakeChat, FakeUser } from '../support/fake-telegram/index.ts';

let core: TestCore;
let h: Harness;
let ana: FakeUser;
let dm: FakeChat;

beforeEach(async () => {
  // A slow model: the whole generation takes seconds, longer than the test core's default 5 s budget.
  core = await createTestCore({ env: { LLM_TIMEOUT_MS: '60000', LLM_STALL_TIMEOUT_MS: '20000' } });
  h = await startHarness(core.frontDoor);
  h.fake.world.editIntervalMs = 1000; // a second edit of one message within a second is refused (429)
  ana = h.fake.user({ first_name: 'Ana', username: 'ana', language_code: 'en' });
  dm = h.fake.privateChat(ana);
});

afterEach(async () => {
  await h.adapter.stop();
  await core.close();
});

const FIRST_CARD_END = '"exampleTranslation":"I need the knife to cook."}';

/** Streams at `tokensPerSecond`; once the first card is complete, holds the rest until `shown()` holds. */
function holdAfterFirstCard(tokensPerSecond: number, shown: () => boolean): { shownBeforeRest: () => boolean | undefined } {
  let result: boolean | undefined;
  core.openai!.setStreaming({
    tokensPerSecond,
    beforeChunk: async (sent) => {
      if (result !== undefined || !sent.includes(FIRST_CARD_END)) return;
      result = await h.fake.waitUntil(shown, 15_000, 'the first card on screen').then(
        () => true,
        () => false,
      );
    },
  });
  return { shownBeforeRest: () => result };
}

async function say(chat: FakeChat, from: FakeUser, text: string, count = 1) {
  const before = h.fake.botMessages(chat).length;
  h.fake.sendText(chat, from, text);
  await h.fake.waitUntil(() => h.fake.botMessages(chat).length >= before + count && h.fake.callsTo('sendMessage').every((c) => c.ok), 30_000, `answer to ${text}`);
  return h.fake.botMessages(chat).slice(before);
}

const hasButtons = (message: { buttons: Array<Array<{ callback_data?: string }>> }) => message.buttons.flat().some((b) => decodeAction(b.callback_data!)?.kind === 'rate');

describe('Telegram shows the answer while the model writes it', () => {
  it('private chat: drafts grow card by card, then one final message with buttons', async () => {
    await say(dm, ana, '/settings lang:Spanish base:en level:beginner');
    const drafts = h.fake.chatState(dm).drafts;
    const hold = holdAfterFirstCard(60, () => drafts.some((d) => d.text.includes('el cuchillo')));
    const messagesBefore = h.fake.callsTo('sendMessage').length;
    const [cards, ...more] = await say(dm, ana, '/flashcards kitchen words count:8');
    // Wait for the final message only (the draft is not a message).
    await h.fake.waitUntil(() => h.fake.botMessages(dm).some(hasButtons), 30_000, 'the final flashcards');
    expect(hold.shownBeforeRest()).toBe(true);
    expect(more).toEqual([]);
    expect(hasButtons(cards!)).toBe(true);
    expect(cards!.text).toContain('la receta');
    expect(h.fake.callsTo('sendMessage')).toHaveLength(messagesBefore + 1); // one final message, no progress message
    expect(h.fake.callsTo('editMessageText')).toHaveLength(0);
    // Several drafts, one draft id (they animate into each other), growing, all before the final message.
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(drafts.map((d) => d.draftId)).size).toBe(1);
    expect(drafts.at(-1)!.text).toContain('la receta');
    const draftCalls = h.fake.callsTo('sendMessageDraft');
    const final = h.fake.calls.findIndex((c) => c.method === 'sendMessage' && JSON.stringify(c.payload).includes('reply_markup') && c.ok && String(c.payload.text).includes('la receta'));
    expect(h.fake.calls.indexOf(draftCalls.at(-1)!)).toBeLessThan(final);
    // Answers stay hidden in the drafts too (spoilers).
    expect(String(draftCalls.at(-1)!.payload.text)).toContain('<tg-spoiler>');
    expect(h.fake.failedCalls()).toEqual([]);

    // A role-play reply grows in the drafts; the corrections come with the final message.
    core.openai!.setStreaming({});
    await say(dm, ana, '/simulate ordering at a bakery');
    // The model holds the rest of the line until the first draft is on screen (drafts wait out a grace of a
    // second: a fast answer has none), so the line is seen growing.
    const draftsBefore = drafts.length;
    let held = false;
    core.openai!.setStreaming({
      tokensPerSecond: 40,
      beforeChunk: async (sent) => {
        if (held || !sent.includes('"Muy')) return;
        held = true;
        await h.fake.waitUntil(() => drafts.length > draftsBefore, 15_000, 'the first draft of the line').catch(() => undefined);
      },
    });
    const [turn] = await say(dm, ana, 'Hola, quiero pan');
    const turnDrafts = drafts.slice(draftsBefore).map((d) => d.text);
    expect(turnDrafts.length).toBeGreaterThanOrEqual(2);
    expect(turnDrafts[0]).toMatch(/^Panadero: M/);
    expect(turnDrafts[0]).not.toContain('¿Algo más?'); // the first draft had only the start of the line
    for (const [i, text] of turnDrafts.entries()) if (i > 0) expect(text.startsWith(turnDrafts[i - 1]!)).toBe(true);
    expect(turnDrafts.some((text) => text.includes('quiero un pan'))).toBe(false);
    expect(turn!.text).toContain('quiero un pan');
    expect(h.fake.failedCalls()).toEqual([]);
  }, 60_000);

  it('group: one message, edited at most once per second, replaced by the final reply with buttons', async () => {
    const group = h.fake.group();
    await say(group, ana, '/settings lang:Spanish base:en level:beginner');
    const progressShown = () =>
      h.fake.callsTo('sendMessage').some((c) => c.ok && c.payload.chat_id === group.id && String(c.payload.text).includes('el cuchillo') && !c.payload.reply_markup);
    const hold = holdAfterFirstCard(60, progressShown);
    const before = h.fake.botMessages(group).length;
    h.fake.sendText(group, ana, '/flashcards kitchen words count:8');
    await h.fake.waitUntil(() => h.fake.botMessages(group).some(hasButtons), 30_000, 'the final flashcards');
    expect(hold.shownBeforeRest()).toBe(true);
    const messages = h.fake.botMessages(group).slice(before);
    expect(messages).toHaveLength(1); // the progress message became the final one
    expect(messages[0]!.text).toContain('la receta');
    expect(h.fake.callsTo('sendMessageDraft')).toHaveLength(0); // drafts are for private chats only
    const edits = h.fake.callsTo('editMessageText').filter((c) => c.payload.chat_id === group.id);
    expect(edits.length).toBeGreaterThanOrEqual(2); // progress edits and the final one
    expect(edits.at(-1)!.payload.reply_markup).toBeDefined();
    // The fake answers 429 to a second edit within a second: none was refused.
    expect(h.fake.failedCalls()).toEqual([]);
  }, 60_000);

  it('a server without sendMessageDraft: edits instead, and the method is not tried again', async () => {
    h.fake.world.draftsUnsupported = true;
    await say(dm, ana, '/settings lang:Spanish base:en level:beginner');
    holdAfterFirstCard(80, () => h.fake.callsTo('sendMessage').some((c) => c.ok && String(c.payload.text).includes('el cuchillo') && !c.payload.reply_markup));
    const before = h.fake.botMessages(dm).length;
    h.fake.sendText(dm, ana, '/flashcards kitchen words count:4');
    await h.fake.waitUntil(() => h.fake.botMessages(dm).slice(before).some(hasButtons), 30_000, 'the final flashcards');
    expect(h.fake.botMessages(dm).slice(before)).toHaveLength(1);
    expect(h.fake.callsTo('sendMessageDraft')).toHaveLength(1);
    expect(h.fake.callsTo('sendMessageDraft')[0]!.errorCode).toBe(404);

    holdAfterFirstCard(80, () => true);
    const again = h.fake.botMessages(dm).length;
    h.fake.sendText(dm, ana, '/flashcards fruit count:4');
    await h.fake.waitUntil(() => h.fake.botMessages(dm).slice(again).some(hasButtons), 30_000, 'the second flashcards');
    expect(h.fake.callsTo('sendMessageDraft')).toHaveLength(1); // remembered for the process
    expect(h.fake.failedCalls().filter((c) => c.method !== 'sendMessageDraft')).toEqual([]);
  }, 60_000);
});

describe('the fake Bot API refuses what Telegram refuses (positive control for the checks above)', () => {
  const call = async (method: string, body: Record<string, unknown>) => {
    const res = await fetch(`${h.fake.apiRoot}/bot${h.fake.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; error_code?: number; result?: { message_id: number } };
  };

  it('drafts only in private chats, with a non-zero id and ≤ 4096 characters; a second edit within a second is 429', async () => {
    const group = h.fake.group();
    expect(await call('sendMessageDraft', { chat_id: dm.id, draft_id: 7, text: 'Hola' })).toMatchObject({ ok: true });
    expect(await call('sendMessageDraft', { chat_id: group.id, draft_id: 7, text: 'Hola' })).toMatchObject({ ok: false, error_code: 400 });
    expect(await call('sendMessageDraft', { chat_id: dm.id, draft_id: 0, text: 'Hola' })).toMatchObject({ ok: false, error_code: 400 });
    expect(await call('sendMessageDraft', { chat_id: dm.id, draft_id: 7, text: 'x'.repeat(4097) })).toMatchObject({ ok: false, error_code: 400 });
    const sent = await call('sendMessage', { chat_id: group.id, text: 'one' });
    const id = sent.result!.message_id;
    expect(await call('editMessageText', { chat_id: group.id, message_id: id, text: 'two' })).toMatchObject({ ok: true });
    expect(await call('editMessageText', { chat_id: group.id, message_id: id, text: 'three' })).toMatchObject({ ok: false, error_code: 429 });
  });
});
