// Ordinary messages: DMs are always for the bot; in guild channels only mentions and replies to the bot;
// '/command' text always reaches the front door (as text commands); nothing crashes on deleted messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stripMention } from '../../src/bots/discord/messages.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { createStubFrontDoor, type StubFrontDoor } from './helpers/stub-front-door.ts';

let h: Harness;
let frontDoor: StubFrontDoor;
const quiet = () => new Promise((resolve) => setTimeout(resolve, 150));

beforeAll(async () => {
  frontDoor = createStubFrontDoor();
  h = await startHarness({ frontDoor });
});
afterAll(() => h?.close());
beforeEach(() => {
  frontDoor.calls.length = 0;
  frontDoor.delayMs = 0;
});

describe('messages', () => {
  it('ignores unaddressed guild chatter, bots and its own messages', async () => {
    const otherBot = h.fake.addUser('other-bot', { bot: true });
    h.fake.sendMessage({ author: h.alice, content: 'hello everyone' });
    h.fake.sendMessage({ author: otherBot, content: 'I am a bot', mentionBot: true });
    await quiet();
    expect(frontDoor.of('text')).toEqual([]);
  });

  it('answers a mention as a reply without pinging, with the mention stripped', async () => {
    const asked = h.fake.sendMessage({ author: h.alice, content: '  what does *hola* mean?', mentionBot: true });
    const answer = await h.fake.waitFor(() => h.fake.botMessagesIn().find((m) => m.reference?.message_id === asked.id), 15_000, 'the answer');
    expect(frontDoor.of('text')[0]).toMatchObject({ text: 'what does *hola* mean?', options: { addressed: true } });
    expect(answer.content).toBe('heard: what does \\*hola\\* mean?');
    const post = h.fake.calls.find((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages` && (c.response as { id: string }).id === answer.id)!;
    expect(post.body).toMatchObject({ allowed_mentions: { parse: [], replied_user: false }, message_reference: { message_id: asked.id, fail_if_not_exists: false } });
  });

  it("passes this bot's /commands typed as text to the front door, addressed or not", async () => {
    h.fake.sendMessage({ author: h.bob, content: '/giphy cats' });
    h.fake.sendMessage({ author: h.bob, content: '/flashcards kitchen count:5' });
    await h.fake.waitFor(() => frontDoor.of('text')[0], 15_000, 'the text command');
    await quiet();
    expect(frontDoor.of('text')).toHaveLength(1);
    expect(frontDoor.of('text')[0]).toMatchObject({ text: '/flashcards kitchen count:5', options: { addressed: false } });
  });

  it('treats every DM as addressed', async () => {
    h.fake.sendMessage({ author: h.bob, dm: true, content: 'hola' });
    await h.fake.waitFor(() => frontDoor.of('text')[0], 15_000, 'the DM');
    expect(frontDoor.of('text')[0]!.incoming.conversation).toEqual({ platform: 'discord', chatId: h.fake.dmChannel(h.bob).id, isGroup: false });
    expect(frontDoor.of('text')[0]!.options.addressed).toBe(true);
  });

  it('still answers when the learner deleted the message meanwhile', async () => {
    frontDoor.delayMs = 200;
    const asked = h.fake.sendMessage({ author: h.alice, content: 'quick question', mentionBot: true });
    await h.fake.waitFor(() => frontDoor.of('text')[0], 15_000, 'the call');
    h.fake.deleteMessage(asked);
    await h.fake.waitFor(() => h.fake.botMessagesIn().find((m) => m.content === 'heard: quick question'), 15_000, 'the answer');
    expect(h.fake.rejected()).toEqual([]);
  });

  it('survives a front door failure on a message', async () => {
    frontDoor.onText = () => {
      throw new Error('boom');
    };
    h.fake.sendMessage({ author: h.alice, content: 'hi', mentionBot: true });
    await h.fake.waitFor(() => frontDoor.of('text')[0], 15_000, 'the call');
    await quiet();
    expect(h.adapter.isConnected()).toBe(true);
  });

  it('strips <@id> and <@!id> mentions', () => {
    expect(stripMention('<@123> hi <@!123>  there', '123')).toBe('hi there');
    expect(stripMention('a\n\n<@123> b', '123')).toBe('a\n\n b');
  });
});
