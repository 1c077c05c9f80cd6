// adapter.send(): messages the bot sends on its own (reminders), and how it reports closed chats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { createStubFrontDoor, type StubFrontDoor } from './helpers/stub-front-door.ts';

let h: Harness;
let frontDoor: StubFrontDoor;
beforeAll(async () => {
  frontDoor = createStubFrontDoor();
  h = await startHarness({ frontDoor });
});
afterAll(() => h?.close());

const reminder: Reply = { blocks: [{ kind: 'text', text: '3 cards are due. Type /review.' }], rateGenerationId: 8 };

describe('adapter.send', () => {
  it('writes to a DM the bot has never seen in this process, with the rating reactions', async () => {
    const dm = h.fake.dmChannel(h.alice);
    expect(await h.adapter.send!(dm.id, [reminder])).toBe('sent');
    const [message] = h.fake.botMessagesIn(dm.id);
    expect(message!.content).toBe('3 cards are due. Type /review.');
    await h.fake.waitFor(() => message!.reactions.length === 5, 15_000, 'the reactions');
    expect(frontDoor.of('sent')[0]!.message).toEqual({ platform: 'discord', chatId: dm.id, messageId: message!.id });
  });

  it('writes to a guild channel', async () => {
    expect(await h.adapter.send!(h.fake.channelId, [{ blocks: [{ kind: 'text', text: 'Daily word: el horno' }] }])).toBe('sent');
    expect(h.fake.botMessagesIn().at(-1)!.content).toBe('Daily word: el horno');
  });

  it("reports 'blocked' when the learner closed DMs or the channel is gone", async () => {
    const dm = h.fake.dmChannel(h.bob);
    h.fake.blockDms(h.bob);
    expect(await h.adapter.send!(dm.id, [reminder])).toBe('blocked');
    expect(h.fake.calls.at(-1)).toMatchObject({ status: 403, response: { code: 50007 } });
    expect(await h.adapter.send!('1234567890123', [reminder])).toBe('blocked');
    expect(h.adapter.isConnected()).toBe(true);
  });
});
