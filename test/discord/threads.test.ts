// Simulations in threads: /simulate opens a thread from the scenario message, learners talk there, /end
// archives it. Without the Create Public Threads permission (or in DMs) the role-play stays in the channel.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/core/i18n/index.ts';
import type { Reply } from '../../src/core/types.ts';
import { DEFAULT_BOT_PERMISSIONS, INTENTS, PERMISSIONS, type FakeMessage } from '../support/fake-discord/index.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { createStubFrontDoor, type StubFrontDoor } from './helpers/stub-front-door.ts';

const t = createI18n().translator('en');
const SESSION = 9;
const longName = `Role-play: ${'At the bakery, ordering bread and pastries. '.repeat(4)}`;

function simulationScript(frontDoor: StubFrontDoor): void {
  frontDoor.onCommand = (name): Reply[] => {
    if (name === 'simulate') {
      return [
        {
          blocks: [{ kind: 'card', title: 'At the bakery', description: 'You are buying bread.', fields: [] }],
          rateGenerationId: 5,
          simulationSessionId: SESSION,
          openThread: { name: longName, simulationSessionId: SESSION },
        },
      ];
    }
    if (name === 'end') return [{ blocks: [{ kind: 'text', text: 'Well done! Summary…' }], closeThread: true }];
    return [{ blocks: [{ kind: 'text', text: `ran ${name}` }] }];
  };
  frontDoor.onText = (text, options, incoming) =>
    options.addressed ? [{ blocks: [{ kind: 'text', text: `(${incoming.user.displayName}) ¡Claro! ${text}` }], simulationSessionId: SESSION }] : null;
}

async function startSimulation(h: Harness, where: { dm?: boolean } = {}): Promise<FakeMessage> {
  const i = h.fake.slashCommand({ name: 'simulate', options: { topic: 'bakery' }, user: h.alice, ...where });
  return h.fake.waitFor(() => [...h.fake.world.messages.values()].find((m) => m.interactionId === i.id && !m.loading && !m.deleted && m.embeds.length), 15_000, 'the scenario');
}

describe('with threads allowed', () => {
  let h: Harness;
  let frontDoor: StubFrontDoor;
  beforeAll(async () => {
    frontDoor = createStubFrontDoor();
    simulationScript(frontDoor);
    h = await startHarness({ frontDoor });
  });
  afterAll(() => h?.close());

  it('runs a simulation with two learners in its own thread and archives it at /end', async () => {
    const scenario = await startSimulation(h);
    const opened = await h.fake.waitFor(() => frontDoor.of('threadOpened')[0], 15_000, 'threadOpened');
    const thread = h.fake.threads().find((c) => c.id === opened.thread.chatId)!;
    expect(thread).toMatchObject({ parentId: h.fake.channelId, autoArchiveDuration: 1440, ownerId: h.fake.bot.id });
    expect(thread.name!.length).toBeLessThanOrEqual(100);
    expect(opened).toEqual({ method: 'threadOpened', sessionId: SESSION, thread: { platform: 'discord', chatId: scenario.id, isGroup: true } });
    expect(frontDoor.of('sent').map((c) => c.message.messageId)).toEqual([scenario.id]);
    const note = await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id)[0], 15_000, 'the thread note');
    expect(note.content).toBe(t('discord.thread.note'));

    const fromAlice = h.fake.sendMessage({ author: h.alice, channelId: thread.id, content: 'Quiero una barra de pan.' });
    const fromBob = h.fake.sendMessage({ author: h.bob, channelId: thread.id, content: 'Y yo un croissant.' });
    await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).length === 3, 15_000, 'two answers');
    const texts = frontDoor.of('text');
    expect(texts.map((c) => [c.incoming.user.externalId, c.incoming.user.displayName, c.text, c.options.addressed])).toEqual([
      [h.alice.id, 'Ali', 'Quiero una barra de pan.', true],
      [h.bob.id, 'Bob', 'Y yo un croissant.', true],
    ]);
    expect(texts.every((c) => c.incoming.conversation.chatId === thread.id && c.incoming.conversation.isGroup && !c.incoming.conversation.threadId)).toBe(true);
    const answers = h.fake.botMessagesIn(thread.id).slice(1);
    expect(answers.map((m) => m.reference?.message_id).sort()).toEqual([fromAlice.id, fromBob.id].sort());
    // Turns belong to the simulation: the front door learns which messages carry them.
    await h.fake.waitFor(() => frontDoor.of('sent').length === 3, 15_000, 'sent() for both turns');

    // A thread cannot hold another thread: /simulate inside it explains and stays there.
    h.fake.slashCommand({ name: 'simulate', options: { topic: 'again' }, user: h.alice, channelId: thread.id });
    await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).find((m) => m.content === t('discord.thread.unavailableHere')), 15_000, 'the note');
    expect(frontDoor.of('threadOpened')).toHaveLength(1);

    const end = h.fake.slashCommand({ name: 'end', user: h.bob, channelId: thread.id });
    await h.fake.waitFor(() => h.fake.world.channels.get(thread.id)!.archived, 15_000, 'the archive');
    expect(h.fake.calls.find((c) => c.method === 'PATCH' && c.path === `/channels/${thread.id}`)!.body).toEqual({ archived: true });
    expect(h.fake.acknowledgedInTime(end.id)).toBe(true);
    expect(h.fake.rejected()).toEqual([]);
  });

  it('explains that DMs have no threads and goes on there', async () => {
    const before = frontDoor.of('threadOpened').length;
    const scenario = await startSimulation(h, { dm: true });
    const note = await h.fake.waitFor(() => h.fake.botMessagesIn(scenario.channelId).find((m) => m.content === t('discord.thread.unavailableInDm')), 15_000, 'the DM note');
    expect(note).toBeDefined();
    expect(frontDoor.of('threadOpened').length).toBe(before);
    h.fake.sendMessage({ author: h.alice, dm: true, content: 'Hola' });
    await h.fake.waitFor(() => frontDoor.of('text').find((c) => c.text === 'Hola'), 15_000, 'the DM turn');
    expect(frontDoor.of('text').at(-1)!.options.addressed).toBe(true);
    expect(frontDoor.of('text').at(-1)!.incoming.conversation.isGroup).toBe(false);
  });
});

describe('without the Create Public Threads permission', () => {
  let h: Harness;
  let frontDoor: StubFrontDoor;
  beforeAll(async () => {
    frontDoor = createStubFrontDoor();
    simulationScript(frontDoor);
    h = await startHarness({ frontDoor, botPermissions: DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.CREATE_PUBLIC_THREADS });
  });
  afterAll(() => h?.close());

  it('says what is missing and continues in the channel, where learners reply or mention', async () => {
    const scenario = await startSimulation(h);
    const note = await h.fake.waitFor(
      () => h.fake.botMessagesIn().find((m) => m.content === t('discord.thread.missingPermission')),
      5_000,
      'the explanation',
    );
    expect(note.ephemeral).toBe(false);
    expect(h.fake.calls.find((c) => c.path.endsWith('/threads'))).toMatchObject({ status: 403, response: { code: 50013 } });
    expect(frontDoor.of('threadOpened')).toEqual([]);

    h.fake.sendMessage({ author: h.alice, content: 'Una barra, por favor', replyTo: scenario });
    h.fake.sendMessage({ author: h.bob, content: '¿Cuánto cuesta?', mentionBot: true });
    h.fake.sendMessage({ author: h.bob, content: 'just chatting with friends' });
    // The control: a mention after the chatter; once it has reached the front door, so would the chatter have.
    h.fake.sendMessage({ author: h.alice, content: 'Gracias', mentionBot: true });
    await h.fake.waitFor(() => frontDoor.of('text').some((c) => c.text === 'Gracias'), 15_000, 'the control turn');
    const texts = frontDoor.of('text');
    expect(texts.map((c) => [c.incoming.user.externalId, c.text, c.options.addressed])).toEqual([
      [h.alice.id, 'Una barra, por favor', true],
      [h.bob.id, '¿Cuánto cuesta?', true],
      [h.alice.id, 'Gracias', true],
    ]);
    expect(texts[0]!.options.replyTo).toEqual({ platform: 'discord', chatId: h.fake.channelId, messageId: scenario.id });
    expect(texts[1]!.options.replyTo).toBeUndefined();
    // Only the refused thread creation was refused.
    expect(h.fake.rejected().map((c) => c.path)).toEqual([`/channels/${h.fake.channelId}/messages/${scenario.id}/threads`]);
  });
});

describe('without the MessageContent intent', () => {
  let h: Harness;
  let frontDoor: StubFrontDoor;
  beforeEach(async () => {
    frontDoor = createStubFrontDoor();
    simulationScript(frontDoor);
    h = await startHarness({ frontDoor, messageContentIntent: false });
  });
  afterEach(() => h?.close());

  it('asks for the minimal intents and tells learners in the thread to mention the bot', async () => {
    const intents = h.fake.intents!;
    const wanted = INTENTS.GUILDS | INTENTS.GUILD_MESSAGES | INTENTS.GUILD_MESSAGE_REACTIONS | INTENTS.DIRECT_MESSAGES | INTENTS.DIRECT_MESSAGE_REACTIONS;
    expect(intents).toBe(wanted);

    await startSimulation(h);
    const opened = await h.fake.waitFor(() => frontDoor.of('threadOpened')[0], 15_000, 'threadOpened');
    const threadId = opened.thread.chatId;
    const note = await h.fake.waitFor(() => h.fake.botMessagesIn(threadId)[0], 15_000, 'the note');
    expect(note.content).toBe(t('discord.thread.noteMention', { mention: `<@${h.fake.bot.id}>` }));

    h.fake.sendMessage({ author: h.alice, channelId: threadId, content: 'sin mención' });
    h.fake.sendMessage({ author: h.bob, channelId: threadId, content: 'con mención', mentionBot: true });
    // The control: another mention after them; once it has reached the front door, so would the unmentioned turn have.
    h.fake.sendMessage({ author: h.alice, channelId: threadId, content: 'también con mención', mentionBot: true });
    await h.fake.waitFor(() => frontDoor.of('text').some((c) => c.text === 'también con mención'), 15_000, 'the control turn');
    expect(frontDoor.of('text').map((c) => [c.incoming.user.externalId, c.text])).toEqual([
      [h.bob.id, 'con mención'],
      [h.alice.id, 'también con mención'],
    ]);
  });
});
