// Limits and failures: 429 retries, throttling under the fake's rate limits, a failing setMyCommands,
// a blocked user, network errors, no token in the logs.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { createStubFrontDoor } from './support/stub-front-door.ts';
import { settle, startHarness } from './support/harness.ts';

const text = (value: string, extra: Partial<Reply> = {}): Reply => ({ blocks: [{ kind: 'text', text: value }], ...extra });

describe('rate limits', () => {
  it('retries a 429 after retry_after and delivers the message', async () => {
    const stub = createStubFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const started = Date.now();
    fake.sendText(chat, alice, 'hola');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const sends = fake.callsTo('sendMessage');
    expect(sends.map((c) => c.errorCode ?? 200)).toEqual([429, 200]);
    expect(sends[1]!.payload).toEqual(sends[0]!.payload);
  });

  it('throttles a burst in a private chat so the fake (max 5 messages/s per chat) never answers 429', async () => {
    const stub = createStubFrontDoor({ text: () => Array.from({ length: 8 }, (_, i) => text(`reply ${i}`)) });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, 'many please');
    await fake.waitUntil(() => fake.botMessages(chat).length === 8, 15_000);
    expect(fake.botMessages(chat).map((m) => m.text)).toEqual(Array.from({ length: 8 }, (_, i) => `reply ${i}`));
    expect(fake.failedCalls()).toEqual([]);
  });

  it('throttles a group below 20 messages/min (fake enforces it) while keeping order', async () => {
    const stub = createStubFrontDoor({ text: () => Array.from({ length: 6 }, (_, i) => text(`part ${i}`)) });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const group = fake.group();
    fake.sendText(group, alice, '/story');
    await fake.waitUntil(() => fake.botMessages(group).length === 6, 20_000);
    expect(fake.botMessages(group).map((m) => m.text)).toEqual(Array.from({ length: 6 }, (_, i) => `part ${i}`));
    expect(fake.failedCalls()).toEqual([]);
  });

  it('the unthrottled fake really rejects bursts (the limits above are enforced)', async () => {
    const { createFakeTelegram } = await import('../support/fake-telegram/index.ts');
    const fake = await createFakeTelegram();
    try {
      const alice = fake.user();
      const chat = fake.privateChat(alice);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: chat.id, text: `m${i}` }),
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      expect(fake.failedCalls()[0]).toMatchObject({ errorCode: 429, description: expect.stringMatching(/retry after \d+/) });
    } finally {
      await fake.close();
    }
  });
});

describe('failures are logged, never fatal', () => {
  it('starts and answers when setMyCommands fails', async () => {
    const stub = createStubFrontDoor();
    const { fake, adapter, logs } = await startHarness(stub.frontDoor, { start: false });
    fake.failNext('setMyCommands', { error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' });
    await adapter.start();
    expect(adapter.isConnected()).toBe(true);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, '/start');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    expect(logs.some((line) => line.includes('setMyCommands failed'))).toBe(true);
  });

  it('a blocked user (403) does not crash the bot; other chats are still answered', async () => {
    const stub = createStubFrontDoor();
    const { fake, logs } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const bob = fake.user();
    const aliceChat = fake.privateChat(alice);
    const bobChat = fake.privateChat(bob);
    fake.block(aliceChat);
    fake.sendText(aliceChat, alice, 'hola');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.errorCode === 403);
    fake.sendText(bobChat, bob, 'hola');
    await fake.waitUntil(() => fake.botMessages(bobChat).length === 1);
    expect(logs.some((line) => line.includes('chat not reachable'))).toBe(true);
  });

  it('a front door error shows the generic message with a reference and keeps going', async () => {
    let fail = true;
    const stub = createStubFrontDoor({
      text: () => {
        if (fail) {
          fail = false;
          throw new Error('database is locked');
        }
        return [text('ok')];
      },
    });
    const { fake, logs } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, 'first');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    const notice = fake.botMessages(chat)[0]!.text;
    expect(notice).toMatch(/^Something went wrong on my side\. Please try again\. \(ref [0-9a-f]{8}\)$/);
    expect(notice).not.toContain('database');
    const ref = /ref ([0-9a-f]{8})/.exec(notice)![1]!;
    expect(logs.some((line) => line.includes(ref) && line.includes('database is locked'))).toBe(true);
    fake.sendText(chat, alice, 'second');
    await fake.waitUntil(() => fake.botMessages(chat).length === 2);
  });

  it('a network error while sending is logged without the token, and the next update is handled', async () => {
    const stub = createStubFrontDoor();
    const { fake, logs } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.dropNext('sendMessage');
    fake.sendText(chat, alice, 'one');
    await fake.waitUntil(() => logs.some((line) => line.includes('sending a reply failed')));
    fake.sendText(chat, alice, 'two');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    expect(fake.botMessages(chat)[0]!.text).toBe('echo: two');
    const all = logs.join('\n');
    expect(all).not.toContain(fake.token);
    expect(all).not.toContain(fake.token.split(':')[1]!);
  });

  it('reports disconnected while polling fails (network), recovers, and never logs the token', async () => {
    const stub = createStubFrontDoor();
    const { fake, adapter, logs } = await startHarness(stub.frontDoor);
    expect(adapter.isConnected()).toBe(true);
    fake.dropNext('getUpdates', 2);
    await fake.waitUntil(() => !adapter.isConnected(), 5000, 'isConnected() false');
    await fake.waitUntil(() => adapter.isConnected(), 5000, 'isConnected() true again');
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, 'still there?');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    const all = logs.join('\n');
    expect(all).toContain('getUpdates failed');
    expect(all).not.toContain(fake.token.split(':')[1]!);
  });

  it('a 409 conflict (another instance polling) stops polling without crashing the process', async () => {
    const stub = createStubFrontDoor();
    const { fake, adapter, logs } = await startHarness(stub.frontDoor);
    fake.failNext('getUpdates', { error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    await fake.waitUntil(() => logs.some((line) => line.includes('polling stopped')), 5000);
    expect(adapter.isConnected()).toBe(false);
  });

  it('a stale button press (query too old) and a button of an inaccessible message do not crash', async () => {
    const stub = createStubFrontDoor({ text: () => [text('Q', { rateGenerationId: 3 })], action: () => [text('thanks')] });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, '/flashcards');
    await fake.waitFor((c) => c.method === 'sendMessage');
    const [message] = fake.botMessages(chat);
    fake.failNext('answerCallbackQuery', { error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
    fake.pressButton(chat, alice, message!.message_id, message!.buttons[0]![0]!.callback_data!);
    await fake.waitUntil(() => fake.botMessages(chat).length === 2);
    await settle();
    expect(fake.botMessages(chat)[1]!.text).toBe('thanks');
  });

  it('stop() waits for an in-flight update, then the adapter reports disconnected', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stub = createStubFrontDoor({ text: async () => (await gate, [text('late but delivered')]) });
    const { fake, adapter } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, 'slow one');
    await fake.waitUntil(() => stub.of('text').length === 1);
    const stopped = adapter.stop();
    setTimeout(release, 200);
    await stopped;
    expect(adapter.isConnected()).toBe(false);
    expect(fake.botMessages(chat).map((m) => m.text)).toEqual(['late but delivered']);
  });
});

describe('typing indicator', () => {
  it('is refreshed every ~4 s while the front door works, and stops afterwards', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stub = createStubFrontDoor({ text: async () => (await gate, [text('done')]) });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, 'think hard');
    await fake.waitUntil(() => fake.callsTo('sendChatAction').length === 2, 6000);
    release();
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    await settle(4500);
    expect(fake.callsTo('sendChatAction')).toHaveLength(2);
  });
});

describe('never over the limits', () => {
  it('awkward replies (huge title, many hidden multi-line fields, 25 buttons + rating, whitespace-only text, buttons only) all pass the fake', async () => {
    const awkward: Reply[] = [
      {
        blocks: [
          { kind: 'card', title: `<${'T'.repeat(4999)}>`, description: '&'.repeat(300), fields: Array.from({ length: 60 }, (_, i) => ({ label: `<${i}>`, value: `${'v&'.repeat(80)}\n${'w<'.repeat(40)}`, hidden: i % 2 === 0 })), footer: 'end' },
          { kind: 'text', text: '   \n\n   ' },
        ],
        buttons: Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => ({ label: `b${r}${c}`, data: `1|q|999999999999|${r * 5 + c}|999999999999` }))),
        rateGenerationId: 999_999_999_999,
      },
      { blocks: [], buttons: [[{ label: 'Only a button', data: '1|e|1' }]] },
      { blocks: [{ kind: 'text', text: '  ' }] },
    ];
    const stub = createStubFrontDoor({ text: () => awkward });
    const { fake, logs } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, 'go');
    await fake.waitUntil(() => fake.botMessages(chat).some((m) => m.text === 'Choose below:'), 20_000);
    await settle(500);
    expect(fake.failedCalls()).toEqual([]);
    const messages = fake.botMessages(chat);
    for (const message of messages) {
      expect(message.text.length).toBeLessThanOrEqual(4096);
      for (const button of message.buttons.flat()) expect(Buffer.byteLength(button.callback_data!)).toBeLessThanOrEqual(64);
    }
    // The keyboard (25 + 5 rating + Save) rides on the last part of the card; the button-only reply gets a short text.
    const withKeyboard = messages.filter((m) => m.buttons.length > 0);
    expect(withKeyboard.map((m) => m.buttons.flat().length)).toEqual([31, 1]);
    expect(withKeyboard[1]!.text).toBe('Choose below:');
    expect(logs.some((line) => line.includes('empty reply'))).toBe(true);
  });
});
