// Ratings on Discord: rateable replies carry a rating row of 1️⃣–5️⃣ buttons (no reactions of the bot's own),
// and learners' keycap reactions (and their removal) reach the front door as ratings; the bot's own never do.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type FakeMessage } from '../support/fake-discord/index.ts';
import { useStubHarness } from './helpers/harness.ts';

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
    return message && JSON.stringify(message.components).includes('1|r|17|5') && message;
  }, 5_000, 'the reply with its rating row');
}

const ratings = () => ctx.frontDoor.of('reaction').map((c) => [c.incoming.user.externalId, c.rating]);

describe('rating reactions', () => {
  it('offers a rating row instead of reactions (no Add Reactions permission needed) and tells the front door which message carries the reply', async () => {
    ctx.h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.ADD_REACTIONS);
    const before = ctx.h.fake.calls.length;
    const message = await rateableMessage();
    const row = (message.components.at(-1) as { components: Array<{ custom_id: string; label: string }> }).components;
    expect(row.map((b) => [b.label, b.custom_id])).toEqual([1, 2, 3, 4, 5].map((r) => [`${r}\uFE0F\u20E3`, `1|r|17|${r}`]));
    expect(ctx.h.fake.calls.slice(before).filter((c) => c.path.includes('/reactions/'))).toEqual([]);
    expect(message.reactions).toEqual([]);
    // The fake holds the edited message as soon as it takes the request; the bot tells the front door once the
    // response is back.
    const sent = await ctx.h.fake.waitFor(() => ctx.frontDoor.of('sent').length > 0 && ctx.frontDoor.of('sent'), 5_000, 'sent() for the reply');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toEqual({ platform: 'discord', chatId: ctx.h.fake.channelId, messageId: message.id });
    expect(sent[0]!.reply.rateGenerationId).toBe(17);
  });

  it("never takes the bot's own keycap reactions (under messages of earlier versions) for a rating", async () => {
    const message = await rateableMessage();
    ctx.h.fake.react({ user: ctx.h.fake.bot, message, emoji: '5️⃣' });
    // The control: a learner's keycap, echoed after the bot's on the same connection, does reach the front door.
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
