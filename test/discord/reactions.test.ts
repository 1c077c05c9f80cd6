// Ratings by keycap reactions: the bot offers 1️⃣–5️⃣ under rateable replies, learners' reactions (and their
// removal) reach the front door, the bot's own reactions never do.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type FakeMessage } from '../support/fake-discord/index.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { createStubFrontDoor, type StubFrontDoor } from './helpers/stub-front-door.ts';

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];
let h: Harness;
let frontDoor: StubFrontDoor;

beforeAll(async () => {
  frontDoor = createStubFrontDoor();
  h = await startHarness({ frontDoor });
});
afterAll(() => h?.close());
beforeEach(() => {
  frontDoor.calls.length = 0;
  h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS);
});

const rateable: Reply = { blocks: [{ kind: 'card', title: 'En la cocina', fields: [{ label: 'el horno', value: 'the oven', hidden: true }] }], rateGenerationId: 17 };

async function rateableMessage(): Promise<FakeMessage> {
  frontDoor.onCommand = () => [rateable];
  const i = h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: h.alice });
  return h.fake.waitFor(() => {
    const message = [...h.fake.world.messages.values()].find((m) => m.interactionId === i.id && !m.loading);
    return message && message.reactions.length === 5 && message;
  }, 5_000, 'five reactions');
}

const ratings = () => frontDoor.of('reaction').map((c) => [c.incoming.user.externalId, c.rating]);

describe('rating reactions', () => {
  it('reacts 1️⃣–5️⃣ in order and tells the front door which message carries the reply', async () => {
    const message = await rateableMessage();
    const puts = h.fake.calls.filter((c) => c.method === 'PUT' && c.path.startsWith(`/channels/${message.channelId}/messages/${message.id}/reactions/`));
    expect(puts.map((c) => decodeURIComponent(c.path.split('/')[6]!))).toEqual(KEYCAPS);
    expect(message.reactions.map((r) => r.emoji)).toEqual(KEYCAPS);
    const sent = frontDoor.of('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toEqual({ platform: 'discord', chatId: h.fake.channelId, messageId: message.id });
    expect(sent[0]!.reply.rateGenerationId).toBe(17);
    // The gateway echoed the bot's five reactions; none of them became a rating.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(frontDoor.of('reaction')).toEqual([]);
  });

  it("turns a learner's keycap into a rating, and its removal into null", async () => {
    const message = await rateableMessage();
    h.fake.react({ user: h.alice, message, emoji: '4️⃣' });
    await h.fake.waitFor(() => frontDoor.of('reaction').length === 1, 15_000, 'the rating');
    const [call] = frontDoor.of('reaction');
    expect(call!.message).toEqual({ platform: 'discord', chatId: h.fake.channelId, messageId: message.id });
    expect(call!.rating).toBe(4);
    expect(call!.incoming.user).toMatchObject({ externalId: h.alice.id, displayName: 'Ali' });

    h.fake.unreact({ user: h.alice, message, emoji: '4️⃣' });
    await h.fake.waitFor(() => frontDoor.of('reaction').length === 2, 15_000, 'the removal');
    expect(ratings()).toEqual([
      [h.alice.id, 4],
      [h.alice.id, null],
    ]);
  });

  it('keeps the remaining keycap when a learner removes one of two', async () => {
    const message = await rateableMessage();
    h.fake.react({ user: h.bob, message, emoji: '2️⃣' });
    h.fake.react({ user: h.bob, message, emoji: '5️⃣' });
    h.fake.react({ user: h.alice, message, emoji: '5️⃣' });
    await h.fake.waitFor(() => frontDoor.of('reaction').length === 3, 15_000, 'three ratings');
    h.fake.unreact({ user: h.bob, message, emoji: '5️⃣' });
    await h.fake.waitFor(() => frontDoor.of('reaction').length === 4, 15_000, 'the removal');
    expect(ratings().at(-1)).toEqual([h.bob.id, 2]);
  });

  it('ignores other emoji and other bots', async () => {
    const message = await rateableMessage();
    const otherBot = h.fake.addUser('helper-bot', { bot: true });
    h.fake.react({ user: h.alice, message, emoji: '👍' });
    h.fake.react({ user: otherBot, message, emoji: '3️⃣' });
    h.fake.react({ user: h.alice, message, emoji: '1️⃣' });
    await h.fake.waitFor(() => frontDoor.of('reaction').length >= 1, 15_000, 'the rating');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ratings()).toEqual([[h.alice.id, 1]]);
  });

  it('receives reactions on messages it never saw (partials), in a DM too', async () => {
    const old = h.fake.world.createMessage({ channelId: h.fake.channelId, author: h.fake.bot, content: 'sent before a restart' });
    h.fake.react({ user: h.alice, message: old, emoji: '3️⃣' });
    const dm = h.fake.dmChannel(h.bob);
    const dmMessage = h.fake.world.createMessage({ channelId: dm.id, author: h.fake.bot, content: 'in a DM' });
    h.fake.react({ user: h.bob, message: dmMessage, emoji: '2️⃣' });
    await h.fake.waitFor(() => frontDoor.of('reaction').length === 2, 15_000, 'two ratings');
    const calls = frontDoor.of('reaction');
    expect(calls.map((c) => [c.message.messageId, c.rating, c.incoming.conversation.isGroup])).toEqual([
      [old.id, 3, true],
      [dmMessage.id, 2, false],
    ]);
  });

  it('still answers when it may not add reactions (the failure is logged once)', async () => {
    h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.ADD_REACTIONS);
    frontDoor.onCommand = () => [rateable];
    const before = h.fake.calls.length;
    const i = h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: h.alice });
    await h.fake.waitFor(() => frontDoor.of('sent').length === 1, 15_000, 'the reply');
    await h.fake.waitFor(() => h.fake.calls.slice(before).some((c) => c.path.includes('/reactions/')), 15_000, 'the attempt');
    const attempts = h.fake.calls.slice(before).filter((c) => c.path.includes('/reactions/'));
    expect(attempts.map((c) => c.status)).toEqual([403]);
    expect(h.fake.acknowledgedInTime(i.id)).toBe(true);
    expect(h.adapter.isConnected()).toBe(true);
  });

  it('rates with buttons when the reply is ephemeral', async () => {
    frontDoor.onCommand = () => [{ ...rateable, ephemeral: true }];
    const i = h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: h.alice });
    const message = await h.fake.waitFor(
      () => [...h.fake.world.messages.values()].find((m) => m.interactionId === i.id && !m.deleted && m.ephemeral && !m.loading),
      5_000,
      'the private reply',
    );
    expect(JSON.stringify(message.components)).toContain('1|r|17|5');
    expect(h.fake.calls.some((c) => c.path.includes(`/messages/${message.id}/reactions`))).toBe(false);
  });
});
