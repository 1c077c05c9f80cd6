// adapter.send(): messages the bot sends on its own (reminders), and how it reports closed chats.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { useStubHarness } from './helpers/harness.ts';

const ctx = useStubHarness();

const reminder: Reply = { blocks: [{ kind: 'text', text: '3 cards are due. Type /review.' }], rateGenerationId: 8 };

describe('adapter.send', () => {
  it('writes to a DM the bot has never seen in this process, with the rating row', async () => {
    const dm = ctx.h.fake.dmChannel(ctx.h.alice);
    expect(await ctx.h.adapter.send!(dm.id, [reminder])).toBe('sent');
    const [message] = ctx.h.fake.botMessagesIn(dm.id);
    expect(message!.content).toBe('3 cards are due. Type /review.');
    expect(JSON.stringify(message!.components)).toContain('1|r|8|1');
    expect(ctx.frontDoor.of('sent')[0]!.message).toEqual({ platform: 'discord', chatId: dm.id, messageId: message!.id });
  });

  it('writes to a guild channel', async () => {
    expect(await ctx.h.adapter.send!(ctx.h.fake.channelId, [{ blocks: [{ kind: 'text', text: 'Daily word: el horno' }] }])).toBe('sent');
    expect(ctx.h.fake.botMessagesIn().at(-1)!.content).toBe('Daily word: el horno');
  });

  it("reports 'blocked' when the learner closed DMs or the channel is gone", async () => {
    const dm = ctx.h.fake.dmChannel(ctx.h.bob);
    ctx.h.fake.blockDms(ctx.h.bob);
    expect(await ctx.h.adapter.send!(dm.id, [reminder])).toBe('blocked');
    expect(ctx.h.fake.calls.at(-1)).toMatchObject({ status: 403, response: { code: 50007 } });
    expect(await ctx.h.adapter.send!('1234567890123', [reminder])).toBe('blocked');
    expect(ctx.h.adapter.isConnected()).toBe(true);
  });
});
