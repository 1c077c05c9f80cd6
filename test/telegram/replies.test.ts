// Every Reply shape, through the full path: fake Bot API → getUpdates → adapter → stub front door → Bot API.
import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import type { Reply } from '../../src/core/types.ts';
import { createStubFrontDoor } from './support/stub-front-door.ts';
import { settle, startHarness } from './support/harness.ts';

const text = (value: string, extra: Partial<Reply> = {}): Reply => ({ blocks: [{ kind: 'text', text: value }], ...extra });

async function privateSetup(replies: (input: string) => Reply[] | null, action?: (data: string) => Reply[]) {
  const stub = createStubFrontDoor({ text: (_i, input) => replies(input), ...(action ? { action: (_i, data) => action(data) } : {}) });
  const harness = await startHarness(stub.frontDoor);
  const alice = harness.fake.user({ first_name: 'Alice', last_name: 'Liddell', username: 'alice', language_code: 'es' });
  const chat = harness.fake.privateChat(alice);
  return { stub, ...harness, alice, chat };
}

describe('start-up', () => {
  it('publishes the commands, drops any webhook and polls for messages, edits, buttons and reactions', async () => {
    const { fake } = await startHarness(createStubFrontDoor().frontDoor);
    expect(fake.world.commands.map((c) => c.command)).toEqual(['start', 'flashcards', 'simulate']);
    expect(fake.callsTo('deleteWebhook')).toHaveLength(1);
    const poll = await fake.waitFor((c) => c.method === 'getUpdates');
    expect(poll.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'message_reaction']);
  });
});

describe('rendering replies', () => {
  it('maps the sender and chat, shows typing, sends HTML text', async () => {
    const { fake, stub, alice, chat } = await privateSetup(() => [text('Hola <Alice> & co')]);
    fake.sendText(chat, alice, '/start');
    await fake.waitFor((c) => c.method === 'sendMessage');
    const [call] = stub.of('text');
    expect(call!.incoming.user).toEqual({ platform: 'telegram', externalId: String(alice.id), displayName: 'Alice Liddell', username: 'alice', locale: 'es' });
    expect(call!.incoming.conversation).toEqual({ platform: 'telegram', chatId: String(chat.id), isGroup: false });
    expect(call!.options).toEqual({ addressed: true });
    expect(fake.callsTo('sendChatAction')[0]!.payload).toMatchObject({ chat_id: chat.id, action: 'typing' });
    const sent = fake.callsTo('sendMessage')[0]!;
    expect(sent.payload).toMatchObject({ parse_mode: 'HTML', text: 'Hola &lt;Alice&gt; &amp; co' });
    expect(sent.payload.reply_parameters).toBeUndefined(); // no reply quote in private chats
    expect(fake.botMessages(chat)[0]!.text).toBe('Hola <Alice> & co');
  });

  it('a fast answer: typing… at once (the learner sees it within 300 ms, always), no draft, one message', async () => {
    const { fake, alice, chat } = await privateSetup(() => [text('Hola')]);
    fake.sendText(chat, alice, '/start');
    await fake.waitFor((c) => c.method === 'sendMessage');
    await settle(1200);
    expect(fake.callsTo('sendChatAction')).toHaveLength(1);
    expect(fake.callsTo('sendMessageDraft')).toHaveLength(0);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('sends nothing when the front door returns null, and ignores edited messages', async () => {
    const { fake, stub, alice, chat } = await privateSetup(() => null);
    const message = fake.sendText(chat, alice, 'hello');
    await fake.waitUntil(() => stub.of('text').length === 1);
    fake.editText(chat, message.message_id, 'hello again');
    fake.sendText(chat, alice, 'third');
    await fake.waitUntil(() => stub.of('text').length === 2);
    await settle();
    expect(stub.of('text').map((c) => c.text)).toEqual(['hello', 'third']);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
  });

  it('renders a card with a spoiler, buttons, and the rating keyboard; calls sent() with the message', async () => {
    const reveal = encodeAction({ kind: 'reveal', generationId: 12, card: 0 });
    const card: Reply = {
      blocks: [{ kind: 'card', title: 'el gato', fields: [{ label: 'Meaning', value: 'the cat', hidden: true }] }],
      buttons: [[{ label: 'Reveal', data: reveal }]],
      rateGenerationId: 12,
    };
    const { fake, stub, alice, chat } = await privateSetup(() => [card]);
    fake.sendText(chat, alice, '/flashcards animals');
    await fake.waitUntil(() => stub.of('sent').length === 1);
    const [message] = fake.botMessages(chat);
    expect(message!.source).toBe('<b>el gato</b>\n\n<b>Meaning</b>: <tg-spoiler>the cat</tg-spoiler>');
    expect(message!.buttons.map((row) => row.map((b) => b.text))).toEqual([['Reveal'], ['😢 1', '😐 2', '👍 3', '🔥 4', '🤩 5'], ['💾 Guardar']]); // Alice's Telegram language is Spanish
    expect(stub.of('sent')[0]!.message).toEqual({ platform: 'telegram', chatId: String(chat.id), messageId: String(message!.message_id) });
  });

  it('rates with the keyboard: two taps → two action calls with the right payloads, both answered', async () => {
    const { fake, stub, alice, chat } = await privateSetup(
      () => [text('Tarjetas', { rateGenerationId: 77 })],
      () => [],
    );
    fake.sendText(chat, alice, '/flashcards');
    await fake.waitFor((c) => c.method === 'sendMessage');
    const [message] = fake.botMessages(chat);
    const four = message!.buttons[0]!.find((b) => b.text === '🔥 4')!.callback_data!;
    const two = message!.buttons[0]!.find((b) => b.text === '😐 2')!.callback_data!;
    const q1 = fake.pressButton(chat, alice, message!.message_id, four);
    await fake.waitUntil(() => fake.callbackAnswer(q1).answered);
    const q2 = fake.pressButton(chat, alice, message!.message_id, two);
    await fake.waitUntil(() => fake.callbackAnswer(q2).answered);
    expect(stub.of('action').map((c) => decodeAction(c.data))).toEqual([
      { kind: 'rate', generationId: 77, rating: 4 },
      { kind: 'rate', generationId: 77, rating: 2 },
    ]);
    expect(stub.of('action')[0]!.incoming.user.externalId).toBe(String(alice.id));
  });

  it('shows an ephemeral reply to a button as the callback answer (≤ 200 chars), not as a message', async () => {
    const long = `Only the learner who asked can answer. ${'x'.repeat(300)}`;
    const { fake, alice, chat } = await privateSetup(
      () => [text('Q', { buttons: [[{ label: 'A', data: encodeAction({ kind: 'answer', generationId: 1, question: 0, choice: 0, owner: 9 }) }]] })],
      () => [text(long, { ephemeral: true })],
    );
    fake.sendText(chat, alice, '/exercise');
    await fake.waitFor((c) => c.method === 'sendMessage');
    const [message] = fake.botMessages(chat);
    const query = fake.pressButton(chat, alice, message!.message_id, message!.buttons[0]![0]!.callback_data!);
    await fake.waitUntil(() => fake.callbackAnswer(query).answered);
    const answer = fake.callbackAnswer(query);
    expect(answer.text!.length).toBeLessThanOrEqual(200);
    expect(answer.text!.startsWith('Only the learner')).toBe(true);
    expect(answer.show_alert).toBe(true);
    await settle();
    expect(fake.botMessages(chat)).toHaveLength(1);
  });

  it('replaceOrigin edits the message with the button; identical content is not re-sent; an uneditable message gets a new one', async () => {
    const next = encodeAction({ kind: 'question', generationId: 3, question: 1, owner: 0 });
    let answer: Reply = text('Question 2', { replaceOrigin: true, buttons: [[{ label: 'Next', data: next }]] });
    const { fake, alice, chat } = await privateSetup(
      () => [text('Question 1', { buttons: [[{ label: 'Next', data: next }]] })],
      () => [answer],
    );
    fake.sendText(chat, alice, '/exercise');
    await fake.waitFor((c) => c.method === 'sendMessage');
    const [first] = fake.botMessages(chat);

    // 1. edit in place
    let query = fake.pressButton(chat, alice, first!.message_id, next);
    await fake.waitFor((c) => c.method === 'editMessageText' && c.ok);
    expect(fake.botMessages(chat)).toHaveLength(1);
    expect(fake.botMessages(chat)[0]!.text).toBe('Question 2');

    // 2. the same content again → Telegram says "not modified": nothing new is sent
    query = fake.pressButton(chat, alice, first!.message_id, next);
    await fake.waitUntil(() => fake.callbackAnswer(query).answered);
    await fake.waitFor((c) => c.method === 'editMessageText' && !c.ok);
    await settle();
    expect(fake.botMessages(chat)).toHaveLength(1);

    // 3. a message too old to edit → a new message instead
    fake.chatState(chat).messages.get(first!.message_id)!.editable = false;
    answer = text('Question 3', { replaceOrigin: true });
    query = fake.pressButton(chat, alice, first!.message_id, next);
    await fake.waitUntil(() => fake.botMessages(chat).length === 2);
    expect(fake.botMessages(chat)[1]!.text).toBe('Question 3');
    expect(fake.callbackAnswer(query).answered).toBe(true);
  });

  it('sends an attachment as a document (multipart upload)', async () => {
    const data = new TextEncoder().encode('front;back\nperro;dog\n');
    const { fake, alice, chat } = await privateSetup(() => [text('Your export:', { attachment: { filename: 'cards.csv', mimeType: 'text/csv', data } })]);
    fake.sendText(chat, alice, '/export');
    await fake.waitFor((c) => c.method === 'sendDocument' && c.ok);
    const [message, document] = fake.botMessages(chat);
    expect(message!.text).toBe('Your export:');
    expect(document!.document!.filename).toBe('cards.csv');
    expect(document!.document!.bytes.toString('utf8')).toBe('front;back\nperro;dog\n');
  });

  it('splits a 6000-character reply: parts < 4096, keyboard on the last, sent() for the last part', async () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Párrafo ${i}: ${'palabra '.repeat(23).trim()}`);
    const long = paragraphs.join('\n\n').padEnd(6000, '!');
    expect(long.length).toBe(6000);
    const { fake, stub, alice, chat } = await privateSetup(() => [text(long, { rateGenerationId: 5 })]);
    fake.sendText(chat, alice, '/explain');
    await fake.waitUntil(() => stub.of('sent').length === 1);
    const messages = fake.botMessages(chat);
    expect(messages.length).toBe(2);
    for (const message of messages) expect(message.text.length).toBeLessThan(4096);
    expect(messages[0]!.text.endsWith(paragraphs[messages[0]!.text.split('\n\n').length - 1]!)).toBe(true);
    expect(messages[0]!.buttons).toEqual([]);
    expect(messages[1]!.buttons.flat().length).toBe(6);
    expect(stub.of('sent').map((c) => c.message.messageId)).toEqual([String(messages[1]!.message_id)]);
    expect(fake.failedCalls()).toEqual([]);
  });

  it('a simulation reply split in parts calls sent() for every part', async () => {
    const long = Array.from({ length: 3 }, () => 'x'.repeat(3000)).join('\n\n');
    const { fake, stub, alice, chat } = await privateSetup(() => [text(long, { simulationSessionId: 8 })]);
    fake.sendText(chat, alice, 'hola');
    await fake.waitUntil(() => stub.of('sent').length === 3);
    expect(stub.of('sent').map((c) => c.message.messageId)).toEqual(fake.botMessages(chat).map((m) => String(m.message_id)));
  });

  it('maps rating reactions (😢 😐 👍 🔥 🤩 → 1…5) on bot messages; removal → null; other emoji ignored', async () => {
    const { fake, stub, alice, chat } = await privateSetup(() => [text('Rate me', { rateGenerationId: 1 })]);
    fake.sendText(chat, alice, '/flashcards');
    await fake.waitFor((c) => c.method === 'sendMessage');
    const [message] = fake.botMessages(chat);
    fake.react(chat, alice, message!.message_id, ['❤']); // not a rating emoji: ignored
    fake.react(chat, alice, message!.message_id, ['🔥']); // 4
    fake.react(chat, alice, message!.message_id, ['🔥', '❤']); // rating unchanged: ignored
    fake.react(chat, alice, message!.message_id, ['🤩']); // 5
    fake.react(chat, alice, message!.message_id, []); // removed: null
    await fake.waitUntil(() => stub.of('reaction').length >= 3);
    await settle();
    expect(stub.of('reaction').map((c) => c.rating)).toEqual([4, 5, null]);
    expect(stub.of('reaction')[0]!.message).toEqual({ platform: 'telegram', chatId: String(chat.id), messageId: String(message!.message_id) });
  });
});
