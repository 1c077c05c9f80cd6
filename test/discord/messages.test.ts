// Ordinary messages: DMs are always for the bot; in guild channels only mentions and replies to the bot;
// '/command' text always reaches the front door (as text commands); nothing crashes on deleted messages.
import { describe, expect, it } from 'vitest';
import { stripMention } from '../../src/bots/discord/messages.ts';
import { useStubHarness } from './helpers/harness.ts';

const ctx = useStubHarness();
const quiet = () => new Promise((resolve) => setTimeout(resolve, 150));


describe('messages', () => {
  it('ignores unaddressed guild chatter, bots and its own messages', async () => {
    const otherBot = ctx.h.fake.addUser('other-bot', { bot: true });
    ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'hello everyone' });
    ctx.h.fake.sendMessage({ author: otherBot, content: 'I am a bot', mentionBot: true });
    await quiet();
    expect(ctx.frontDoor.of('text')).toEqual([]);
  });

  it('answers a mention as a reply without pinging, with the mention stripped', async () => {
    const asked = ctx.h.fake.sendMessage({ author: ctx.h.alice, content: '  what does *hola* mean?', mentionBot: true });
    const answer = await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().find((m) => m.reference?.message_id === asked.id), 15_000, 'the answer');
    expect(ctx.frontDoor.of('text')[0]).toMatchObject({ text: 'what does *hola* mean?', options: { addressed: true } });
    expect(answer.content).toBe('heard: what does \\*hola\\* mean?');
    const post = ctx.h.fake.calls.find((c) => c.method === 'POST' && c.path === `/channels/${ctx.h.fake.channelId}/messages` && (c.response as { id: string }).id === answer.id)!;
    expect(post.body).toMatchObject({ allowed_mentions: { parse: [], replied_user: false }, message_reference: { message_id: asked.id, fail_if_not_exists: false } });
  });

  it("passes this bot's /commands typed as text to the front door, addressed or not", async () => {
    ctx.h.fake.sendMessage({ author: ctx.h.bob, content: '/giphy cats' });
    ctx.h.fake.sendMessage({ author: ctx.h.bob, content: '/flashcards kitchen count:5' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('text')[0], 15_000, 'the text command');
    await quiet();
    expect(ctx.frontDoor.of('text')).toHaveLength(1);
    expect(ctx.frontDoor.of('text')[0]).toMatchObject({ text: '/flashcards kitchen count:5', options: { addressed: false } });
  });

  it('treats every DM as addressed', async () => {
    ctx.h.fake.sendMessage({ author: ctx.h.bob, dm: true, content: 'hola' });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('text')[0], 15_000, 'the DM');
    expect(ctx.frontDoor.of('text')[0]!.incoming.conversation).toEqual({ platform: 'discord', chatId: ctx.h.fake.dmChannel(ctx.h.bob).id, isGroup: false });
    expect(ctx.frontDoor.of('text')[0]!.options.addressed).toBe(true);
  });

  it('still answers when the learner deleted the message meanwhile', async () => {
    ctx.frontDoor.delayMs = 200;
    const asked = ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'quick question', mentionBot: true });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('text')[0], 15_000, 'the call');
    ctx.h.fake.deleteMessage(asked);
    await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().find((m) => m.content === 'heard: quick question'), 15_000, 'the answer');
    expect(ctx.h.fake.rejected()).toEqual([]);
  });

  it('survives a front door failure on a message', async () => {
    ctx.frontDoor.onText = () => {
      throw new Error('boom');
    };
    ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'hi', mentionBot: true });
    await ctx.h.fake.waitFor(() => ctx.frontDoor.of('text')[0], 15_000, 'the call');
    await quiet();
    expect(ctx.h.adapter.isConnected()).toBe(true);
  });

  it('strips <@id> and <@!id> mentions', () => {
    expect(stripMention('<@123> hi <@!123>  there', '123')).toBe('hi there');
    expect(stripMention('a\n\n<@123> b', '123')).toBe('a\n\n b');
  });
});
