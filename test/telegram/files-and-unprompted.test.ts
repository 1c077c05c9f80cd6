// Files sent with a command (a document whose caption is the command) and messages the bot sends on its own.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { createStubFrontDoor } from './support/stub-front-door.ts';
import { settle, startHarness } from './support/harness.ts';
import type { TelegramAdapter } from '../../src/bots/telegram/index.ts';

const text = (value: string, extra: Partial<Reply> = {}): Reply => ({ blocks: [{ kind: 'text', text: value }], ...extra });

describe('documents sent with a command', () => {
  it('downloads the document and passes it with the caption as the command', async () => {
    const stub = createStubFrontDoor({ text: (_i, input, options) => [text(`${input}: ${options.attachment?.filename} ${options.attachment?.data.byteLength}`)] });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const group = fake.group();
    const bytes = Buffer.from('{"cards":[{"front":"perro","back":"dog"}]}');
    fake.sendDocument(group, alice, { filename: 'deck.json', bytes }, '/import@tutor_test_bot deck');
    await fake.waitUntil(() => fake.botMessages(group).length === 1);
    const [call] = stub.of('text');
    expect(call!.text).toBe('/import@tutor_test_bot deck');
    expect(call!.options.addressed).toBe(true);
    expect(call!.options.attachment!.filename).toBe('deck.json');
    expect(Buffer.from(call!.options.attachment!.data).equals(bytes)).toBe(true);
    expect(fake.callsTo('getFile')).toHaveLength(1);
  });

  it('refuses a file over 5 MB without downloading it, and ignores documents without a command', async () => {
    const stub = createStubFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendDocument(chat, alice, { filename: 'holiday.jpg', bytes: Buffer.from('x') }, 'look at this');
    fake.sendDocument(chat, alice, { filename: 'big.json', bytes: Buffer.from('{}'), size: 6 * 1024 * 1024 }, '/import');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    await settle();
    expect(fake.botMessages(chat)[0]!.text).toBe('That file is too large (at most 5 MB).');
    expect(stub.of('text')).toEqual([]);
    expect(fake.callsTo('getFile')).toEqual([]);
  });
});

describe('send() without an incoming update (reminders)', () => {
  it('delivers to a chat, records rateable messages, and reports blocked and unknown chats', async () => {
    const stub = createStubFrontDoor();
    const { fake, adapter } = await startHarness(stub.frontDoor);
    const telegram = adapter as TelegramAdapter;
    const alice = fake.user();
    const bob = fake.user();
    const aliceChat = fake.privateChat(alice);
    const bobChat = fake.privateChat(bob);

    expect(await telegram.send(String(alice.id), [text('Time to review 5 cards!', { rateGenerationId: 9 })])).toBe('sent');
    expect(fake.botMessages(aliceChat)[0]!.text).toBe('Time to review 5 cards!');
    expect(stub.of('sent')[0]!.message.messageId).toBe(String(fake.botMessages(aliceChat)[0]!.message_id));

    fake.block(bobChat);
    expect(await telegram.send(String(bob.id), [text('Reminder')])).toBe('blocked');
    expect(await telegram.send('-100999', [text('Reminder')])).toBe('blocked'); // unknown chat
    expect(await telegram.send('not-a-chat', [text('Reminder')])).toBe('failed');
  });
});
