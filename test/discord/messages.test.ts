// Ordinary messages: DMs are always for the bot; in guild channels only mentions and replies to the bot;
// '/command' text always reaches the front door (as text commands); nothing crashes on deleted messages.
import { describe, expect, it } from 'vitest';
import { stripMention } from '../../src/bots/discord/messages.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import { useStubHarness } from './helpers/harness.ts';

const ctx = useStubHarness();
const t = createI18n().translator('en');

/**
 * The positive control of a "nothing reached the front door" check: a mention sent after the messages that
 * must be ignored, on the same gateway connection. Once it has been answered, the earlier ones were handled
 * (and would have reached the front door first).
 */
async function control(): Promise<void> {
  const asked = ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'control', mentionBot: true });
  await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().find((m) => m.reference?.message_id === asked.id && m.content === 'heard: control'), 15_000, 'the answer to the control');
}

describe('messages', () => {
  it('ignores unaddressed guild chatter, bots and its own messages', async () => {
    const otherBot = ctx.h.fake.addUser('other-bot', { bot: true });
    ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'hello everyone' });
    ctx.h.fake.sendMessage({ author: otherBot, content: 'I am a bot', mentionBot: true });
    await control();
    expect(ctx.frontDoor.of('text').map((c) => c.text)).toEqual(['control']);
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
    await control();
    expect(ctx.frontDoor.of('text').map((c) => c.text)).toEqual(['/flashcards kitchen count:5', 'control']);
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

  it('survives a front door failure on a message: the learner is told, and the next message is answered', async () => {
    const answers = ctx.frontDoor.onText;
    ctx.frontDoor.onText = () => {
      throw new Error('boom with secret details');
    };
    try {
      const asked = ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'hi', mentionBot: true });
      const notice = await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().find((m) => m.reference?.message_id === asked.id), 15_000, 'the notice');
      expect(notice.content).toBe(t('discord.genericError'));
    } finally {
      ctx.frontDoor.onText = answers;
    }
    const next = ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'are you there?', mentionBot: true });
    const answer = await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().find((m) => m.reference?.message_id === next.id), 15_000, 'the next answer');
    expect(answer.content).toBe('heard: are you there?');
    expect(ctx.h.adapter.isConnected()).toBe(true);
    expect(ctx.h.fake.rejected()).toEqual([]);
  });

  it('strips <@id> and <@!id> mentions', () => {
    expect(stripMention('<@123> hi <@!123>  there', '123')).toBe('hi there');
    expect(stripMention('a\n\n<@123> b', '123')).toBe('a\n\n b');
  });
});
