// Ratings by keycap reactions: the bot offers 1️⃣–5️⃣ under rateable replies, learners' reactions (and their
// removal) reach the front door, the bot's own reactions never do.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type FakeMessage } from '../support/fake-discord/index.ts';
import { useStubHarness } from './helpers/harness.ts';

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];
const ctx = useStubHarness();

beforeEach(() => {
  ctx.h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS);
});

const rateable: Reply = { blocks: [{ kind: 'card', title: 'En la cocina', fields: [{ label: 'el horno', value: 'the oven', hidden: true }] }], rateGenerationId: 17 };

async function rateableMessage(): Promise<FakeMessage> {
  ctx.frontDoor.onCommand = () => [rateable];
  const i = ctx.h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: ctx.h.alice });
  return ctx.h.fake.waitFor(() => {
    const message = [...ctx.h.fake.world.messages.values()].find((m) => m.interactionId === i.id && !m.loading);
    return message && message.reactions.length === 5 && message;
  }, 5_000, 'five reactions');
}

const ratings = () => ctx.frontDoor.of('reaction').map((c) => [c.incoming.user.externalId, c.rating]);

describe('rating reactions', () => {
  it('reacts 1️⃣–5️⃣ in order and tells the front door which message carries the reply', async () => {
    const message = await rateableMessage();
    const puts = ctx.h.fake.calls.filter((c) => c.method === 'PUT' && c.path.startsWith(`/channels/${message.channelId}/messages/${message.id}/reactions/`));
    expect(puts.map((c) => decodeURIComponent(c.path.split('/')[6]!))).toEqual(KEYCAPS);
    expect(message.reactions.map((r) => r.emoji)).toEqual(KEYCAPS);
    const sent = ctx.frontDoor.of('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toEqual({ platform: 'discord', chatId: ctx.h.fake.channelId, messageId: message.id });
    expect(sent[0]!.reply.rateGenerationId).toBe(17);
    // The gateway echoed the bot's five reactions; none of them became a rating. The control: a learner's
    // keycap, echoed after them on the same connection, does reach the front door.
    ctx.h.fake.react({ user: ctx.h.alice, message, emoji: '3️⃣' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('reaction').length >= 1, 15_000, "the learner's rating");
    expect(ratings()).toEqual([[ctx.h.alice.id, 3]]);
  });

  it("turns a learner's keycap into a rating, and its removal into null", async () => {
    const message = await rateableMessage();
    ctx.h.fake.react({ user: ctx.h.alice, message, emoji: '4️⃣' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('reaction').length === 1, 15_000, 'the rating');
    const [call] = ctx.frontDoor.of('reaction');
    expect(call!.message).toEqual({ platform: 'discord', chatId: ctx.h.fake.channelId, messageId: message.id });
    expect(call!.rating).toBe(4);
    expect(call!.incoming.user).toMatchObject({ externalId: ctx.h.alice.id, displayName: 'Ali' });

    ctx.h.fake.unreact({ user: ctx.h.alice, message, emoji: '4️⃣' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('reaction').length === 2, 15_000, 'the removal');
    expect(ratings()).toEqual([
      [ctx.h.alice.id, 4],
      [ctx.h.alice.id, null],
    ]);
  });

  it('keeps the remaining keycap when a learner removes one of two', async () => {
    const message = await rateableMessage();
    ctx.h.fake.react({ user: ctx.h.bob, message, emoji: '2️⃣' });
    ctx.h.fake.react({ user: ctx.h.bob, message, emoji: '5️⃣' });
    ctx.h.fake.react({ user: ctx.h.alice, message, emoji: '5️⃣' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('reaction').length === 3, 15_000, 'three ratings');
    ctx.h.fake.unreact({ user: ctx.h.bob, message, emoji: '5️⃣' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('reaction').length === 4, 15_000, 'the removal');
    expect(ratings().at(-1)).toEqual([ctx.h.bob.id, 2]);
  });

  it('ignores other emoji and other bots', async () => {
    const message = await rateableMessage();
    const otherBot = ctx.h.fake.addUser('helper-bot', { bot: true });
    ctx.h.fake.react({ user: ctx.h.alice, message, emoji: '👍' });
    ctx.h.fake.react({ user: otherBot, message, emoji: '3️⃣' });
    ctx.h.fake.react({ user: ctx.h.alice, message, emoji: '1️⃣' });
    // The control: another learner's keycap after the ignored ones, resolved the same way as the other bot's.
    ctx.h.fake.react({ user: ctx.h.bob, message, emoji: '2️⃣' });
    await ctx.h.fake.waitFor(() => ratings().some(([user]) => user === ctx.h.bob.id), 15_000, "the control's rating");
    await ctx.h.fake.waitFor(() => ratings().some(([user]) => user === ctx.h.alice.id), 15_000, "Alice's rating");
    expect(ratings().sort()).toEqual([
      [ctx.h.alice.id, 1],
      [ctx.h.bob.id, 2],
    ].sort());
  });

  it('receives reactions on messages it never saw (partials), in a DM too', async () => {
    const old = ctx.h.fake.world.createMessage({ channelId: ctx.h.fake.channelId, author: ctx.h.fake.bot, content: 'sent before a restart' });
    ctx.h.fake.react({ user: ctx.h.alice, message: old, emoji: '3️⃣' });
    const dm = ctx.h.fake.dmChannel(ctx.h.bob);
    const dmMessage = ctx.h.fake.world.createMessage({ channelId: dm.id, author: ctx.h.fake.bot, content: 'in a DM' });
    ctx.h.fake.react({ user: ctx.h.bob, message: dmMessage, emoji: '2️⃣' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('reaction').length === 2, 15_000, 'two ratings');
    const calls = ctx.frontDoor.of('reaction');
    expect(calls.map((c) => [c.message.messageId, c.rating, c.incoming.conversation.isGroup])).toEqual([
      [old.id, 3, true],
      [dmMessage.id, 2, false],
    ]);
  });

  it('still answers when it may not add reactions (the failure is logged once)', async () => {
    ctx.h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.ADD_REACTIONS);
    ctx.frontDoor.onCommand = () => [rateable];
    const before = ctx.h.fake.calls.length;
    const i = ctx.h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('sent').length === 1, 15_000, 'the reply');
    await ctx.h.fake.waitFor(() => ctx.h.fake.calls.slice(before).some((c) => c.path.includes('/reactions/')), 15_000, 'the attempt');
    const attempts = ctx.h.fake.calls.slice(before).filter((c) => c.path.includes('/reactions/'));
    expect(attempts.map((c) => c.status)).toEqual([403]);
    expect(ctx.h.fake.acknowledgedInTime(i.id)).toBe(true);
    expect(ctx.h.adapter.isConnected()).toBe(true);
  });

  it('rates with buttons when the reply is ephemeral', async () => {
    ctx.frontDoor.onCommand = () => [{ ...rateable, ephemeral: true }];
    const i = ctx.h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: ctx.h.alice });
    const message = await ctx.h.fake.waitFor(
      () => [...ctx.h.fake.world.messages.values()].find((m) => m.interactionId === i.id && !m.deleted && m.ephemeral && !m.loading),
      5_000,
      'the private reply',
    );
    expect(JSON.stringify(message.components)).toContain('1|r|17|5');
    expect(ctx.h.fake.calls.some((c) => c.path.includes(`/messages/${message.id}/reactions`))).toBe(false);
  });
});
