// End to end through the real core: the fake Bot API → the Telegram adapter → the real front door, real
// SQLite and the real openai SDK against the fake OpenAI server.
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
  core = await createTestCore();
  h = await startHarness(core.frontDoor);
  ana = h.fake.user({ first_name: 'Ana', username: 'ana', language_code: 'en' });
  dm = h.fake.privateChat(ana);
});

afterEach(async () => {
  await h.adapter.stop();
  await core.close();
});

/** Sends a text and waits until the bot has delivered `count` more messages to the chat. */
async function say(chat: FakeChat, from: FakeUser, text: string, count = 1, options: { replyTo?: number; threadId?: number } = {}) {
  const before = h.fake.botMessages(chat).length;
  h.fake.sendText(chat, from, text, options);
  await h.fake.waitUntil(() => h.fake.botMessages(chat).length >= before + count, 15_000, `${count} answer(s) to ${text}`);
  return h.fake.botMessages(chat).slice(before);
}

describe('Telegram through the real core', () => {
  it('registers the real commands and answers /start', async () => {
    expect(h.fake.world.commands.map((c) => c.command)).toEqual(core.frontDoor.commands.map((c) => c.name));
    const [welcome] = await say(dm, ana, '/start');
    expect(welcome!.text).toContain('/flashcards');
    expect(h.fake.failedCalls()).toEqual([]);
  });

  it('/flashcards → rating keyboard → tap 4 → a feedback row; tap 2 → the same row changed', async () => {
    await say(dm, ana, '/settings lang:Spanish base:en level:beginner');
    const [cards] = await say(dm, ana, '/flashcards kitchen words count:4');
    expect(cards!.text).toContain('el cuchillo');
    // The translations are hidden as spoilers.
    expect(cards!.source).toContain('<tg-spoiler>');
    const rating = cards!.buttons.flat().filter((b) => decodeAction(b.callback_data!)?.kind === 'rate');
    expect(rating.map((b) => b.text)).toEqual(['😢 1', '😐 2', '👍 3', '🔥 4', '🤩 5']);
    // The core's own Save button is kept, and no second one is added.
    expect(cards!.buttons.flat().filter((b) => decodeAction(b.callback_data!)?.kind === 'save')).toHaveLength(1);

    const q1 = h.fake.pressButton(dm, ana, cards!.message_id, rating[3]!.callback_data!);
    await h.fake.waitUntil(() => h.fake.callbackAnswer(q1).answered, 10_000);
    expect(h.fake.callbackAnswer(q1).text).toContain('4/5');
    const first = await core.prisma.feedback.findMany();
    expect(first.map((f) => f.rating)).toEqual([4]);

    const q2 = h.fake.pressButton(dm, ana, cards!.message_id, rating[1]!.callback_data!);
    await h.fake.waitUntil(() => h.fake.callbackAnswer(q2).answered, 10_000);
    const second = await core.prisma.feedback.findMany();
    expect(second).toHaveLength(1);
    expect(second[0]!.id).toBe(first[0]!.id);
    expect(second[0]!.rating).toBe(2);
    expect(h.fake.failedCalls()).toEqual([]);
  });

  it('a 🔥 reaction on the flashcards rates them 4 (the adapter recorded the sent message)', async () => {
    const [cards] = await say(dm, ana, '/flashcards kitchen words count:2');
    h.fake.react(dm, ana, cards!.message_id, ['🔥']);
    const deadline = Date.now() + 5000;
    while ((await core.prisma.feedback.count()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const feedback = await core.prisma.feedback.findMany();
    expect(feedback.map((f) => f.rating)).toEqual([4]);
  });

  it('answers exercises through buttons: the question is replaced by the verdict, then the next question', async () => {
    const [intro, question] = await say(dm, ana, '/exercises cooking verbs count:2', 2);
    expect(intro!.buttons.flat().some((b) => decodeAction(b.callback_data!)?.kind === 'rate')).toBe(true);
    const answers = question!.buttons.flat();
    expect(answers.every((b) => decodeAction(b.callback_data!)?.kind === 'answer')).toBe(true);

    const before = h.fake.botMessages(dm).length;
    const query = h.fake.pressButton(dm, ana, question!.message_id, answers[0]!.callback_data!);
    await h.fake.waitUntil(() => h.fake.botMessages(dm).length === before + 1, 10_000);
    expect(h.fake.callbackAnswer(query).answered).toBe(true);
    const replaced = h.fake.botMessages(dm).find((m) => m.message_id === question!.message_id)!;
    expect(replaced.text).toContain('✅');
    expect(replaced.buttons).toEqual([]); // the answer buttons are gone
    const next = h.fake.botMessages(dm).at(-1)!;
    expect(next.buttons.flat().every((b) => decodeAction(b.callback_data!)?.kind === 'answer')).toBe(true);

    const attempts = await core.prisma.exerciseAttempt.findMany();
    expect(attempts.map((a) => a.correct)).toEqual([true]);
    expect(h.fake.failedCalls()).toEqual([]);
  });

  it('a role-play in a forum moves into its own topic and continues there', async () => {
    const forum = h.fake.forum();
    const bea = h.fake.user({ first_name: 'Bea' });
    await say(forum, ana, '/simulate buying bread at a bakery', 2);
    const topicCall = h.fake.callsTo('createForumTopic')[0]!;
    const threadId = (topicCall.result as { message_thread_id: number }).message_thread_id;
    const session = await core.prisma.simulationSession.findFirstOrThrow();
    expect(JSON.stringify(session)).toContain(`telegram:${forum.id}:${threadId}`);

    const [turn] = await say(forum, bea, 'Quiero pan, por favor', 1, { threadId });
    expect(turn!.message_thread_id).toBe(threadId);
    expect(turn!.text).toContain('Bea');
    expect(h.fake.failedCalls()).toEqual([]);
  });

  it('a role-play in an ordinary group continues when learners reply to the bot', async () => {
    const group = h.fake.group({ supergroup: true });
    const bea = h.fake.user({ first_name: 'Bea' });
    const [scenario] = await say(group, ana, '/simulate buying bread at a bakery');
    expect(h.fake.callsTo('createForumTopic')).toEqual([]);
    const [turn] = await say(group, bea, 'Quiero pan, por favor', 1, { replyTo: scenario!.message_id });
    expect(turn!.text).toContain('Bea');
    // Not addressed: ignored. The control, a reply to the bot after it in the same chat (whose updates are
    // handled in order), is answered: by then 'brb' has been handled, without an answer.
    h.fake.sendText(group, bea, 'brb');
    const [control] = await say(group, bea, 'Una barra, por favor', 1, { replyTo: scenario!.message_id });
    expect(control!.text).toContain('Bea');
    expect(h.fake.botMessages(group)).toHaveLength(3);
  });
});
