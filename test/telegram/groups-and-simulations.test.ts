// Groups, forum topics and simulations: who is addressed, reply chains, topics created for role-plays.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { encodeAction } from '../../src/core/actions.ts';
import type { TextOptions } from '../../src/commands/front-door.ts';
import { createStubFrontDoor } from './support/stub-front-door.ts';
import { settle, startHarness } from './support/harness.ts';

const text = (value: string, extra: Partial<Reply> = {}): Reply => ({ blocks: [{ kind: 'text', text: value }], ...extra });

/** A front door that starts simulation 31 on /simulate and continues it for addressed text. */
function simulationFrontDoor() {
  return createStubFrontDoor({
    text: (_incoming, input, options: TextOptions) => {
      if (input.startsWith('/simulate')) {
        return [
          text('Scenario: at the market. You are buying fruit.', {
            openThread: { name: 'At the market', simulationSessionId: 31 },
            simulationSessionId: 31,
            buttons: [[{ label: 'End', data: encodeAction({ kind: 'end', sessionId: 31 }) }]],
          }),
          text('Vendedor: ¡Buenos días! ¿Qué desea?', { simulationSessionId: 31 }),
        ];
      }
      if (input === '/end') return [text('Well done!', { simulationSessionId: 31, closeThread: true })];
      if (!options.addressed) return null;
      return [text(`Vendedor: (to "${input}")`, { simulationSessionId: 31 })];
    },
  });
}

describe('simulations in a forum supergroup', () => {
  it('opens a forum topic, sends there with message_thread_id, calls threadOpened, continues and closes it', async () => {
    const stub = simulationFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user({ first_name: 'Alice' });
    const forum = fake.forum();
    const start = fake.sendText(forum, alice, '/simulate market');
    await fake.waitUntil(() => stub.of('threadOpened').length === 1 && fake.botMessages(forum).length === 3);

    const topic = await fake.waitFor((c) => c.method === 'createForumTopic' && c.ok);
    expect(topic.payload).toMatchObject({ chat_id: forum.id, name: 'At the market' });
    const threadId = (topic.result as { message_thread_id: number }).message_thread_id;
    expect(stub.of('threadOpened')[0]).toMatchObject({
      sessionId: 31,
      thread: { platform: 'telegram', chatId: String(forum.id), threadId: String(threadId), isGroup: true },
    });
    const inThread = fake.botMessages(forum).filter((m) => m.message_thread_id === threadId);
    expect(inThread.map((m) => m.text)).toEqual(['Scenario: at the market. You are buying fruit.', 'Vendedor: ¡Buenos días! ¿Qué desea?']);
    const notice = fake.botMessages(forum).find((m) => m.message_thread_id !== threadId);
    // A short notice where the learner asked, replying to their command.
    expect(notice!.message_thread_id).toBeUndefined();
    expect(notice!.reply_to_message_id).toBe(start.message_id);
    expect(notice!.text).toContain('At the market');
    const typingInTopic = fake.callsTo('sendChatAction');
    expect(typingInTopic.length).toBeGreaterThan(0);

    // A plain message inside the topic is addressed and carries the topic as threadId; the answer stays there.
    fake.sendText(forum, alice, 'Quiero manzanas', { threadId });
    await fake.waitUntil(() => fake.botMessages(forum).length === 4);
    const inTopic = stub.of('text')[1]!;
    expect(inTopic.options).toEqual({ addressed: true });
    expect(inTopic.incoming.conversation).toEqual({ platform: 'telegram', chatId: String(forum.id), threadId: String(threadId), isGroup: true });
    expect(fake.botMessages(forum)[3]!.message_thread_id).toBe(threadId);
    const typing = fake.callsTo('sendChatAction').at(-1)!;
    expect(typing.payload.message_thread_id).toBe(threadId);

    // Ending closes the topic.
    fake.sendText(forum, alice, '/end', { threadId });
    await fake.waitFor((c) => c.method === 'closeForumTopic' && c.ok);
    expect(fake.chatState(forum).topics.get(threadId)!.closed).toBe(true);
    expect(fake.failedCalls()).toEqual([]);
  });

  it('falls back to a reply chain when the bot may not create topics', async () => {
    const stub = simulationFrontDoor();
    const { fake, logs } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const forum = fake.forum({ canManageTopics: false });
    fake.sendText(forum, alice, '/simulate');
    await fake.waitUntil(() => fake.botMessages(forum).length === 2);
    expect(fake.callsTo('createForumTopic')[0]!.errorCode).toBe(400);
    expect(stub.of('threadOpened')).toEqual([]);
    expect(fake.botMessages(forum).every((m) => m.message_thread_id === undefined)).toBe(true);
    expect(logs.some((line) => line.includes('cannot create a forum topic'))).toBe(true);
  });

  it('messages in a topic a user created are not addressed unless they mention or reply to the bot', async () => {
    const stub = createStubFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const forum = fake.forum();
    const threadId = fake.userTopic(forum, alice, 'Chat');
    fake.sendText(forum, alice, 'just chatting', { threadId });
    fake.sendText(forum, alice, '@tutor_test_bot ¿cómo se dice "apple"?', { threadId });
    await fake.waitUntil(() => stub.of('text').length === 2);
    expect(stub.of('text').map((c) => [c.text, c.options.addressed, c.incoming.conversation.threadId])).toEqual([
      ['just chatting', false, String(threadId)],
      ['¿cómo se dice "apple"?', true, String(threadId)],
    ]);
    await fake.waitUntil(() => fake.botMessages(forum).length === 1);
    expect(fake.botMessages(forum)[0]!.message_thread_id).toBe(threadId);
  });
});

describe('simulations in an ordinary group (reply chain)', () => {
  it('two learners reply to the bot: addressed with replyTo; other chatter is not addressed and gets nothing', async () => {
    const stub = simulationFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user({ first_name: 'Alice' });
    const bob = fake.user({ first_name: 'Bob' });
    const group = fake.group({ supergroup: true });
    const command = fake.sendText(group, alice, '/simulate@tutor_test_bot');
    await fake.waitUntil(() => fake.botMessages(group).length === 2 && stub.of('sent').length === 2);
    expect(fake.callsTo('createForumTopic')).toEqual([]); // not a forum: no attempt
    const [scenario, opening] = fake.botMessages(group);
    expect(scenario!.reply_to_message_id).toBe(command.message_id); // answers the command in the group
    expect(stub.of('sent').map((c) => c.message.messageId)).toEqual([String(scenario!.message_id), String(opening!.message_id)]);

    fake.sendText(group, alice, 'Hola, quiero peras', { replyTo: opening!.message_id });
    await fake.waitUntil(() => fake.botMessages(group).length === 3);
    const answer = fake.botMessages(group)[2]!;
    fake.sendText(group, bob, 'Y yo uvas', { replyTo: answer.message_id });
    fake.sendText(group, bob, 'lol what is this');
    await fake.waitUntil(() => stub.of('text').length === 4);
    await fake.waitUntil(() => fake.botMessages(group).length === 4);
    await settle();

    const [, fromAlice, fromBob, chatter] = stub.of('text');
    expect(fromAlice!.options).toEqual({ addressed: true, replyTo: { platform: 'telegram', chatId: String(group.id), messageId: String(opening!.message_id) } });
    expect(fromAlice!.incoming.user.displayName).toBe('Alice');
    expect(fromBob!.options).toEqual({ addressed: true, replyTo: { platform: 'telegram', chatId: String(group.id), messageId: String(answer.message_id) } });
    expect(fromBob!.incoming.user.displayName).toBe('Bob');
    // Supergroup replies carry message_thread_id without being in a topic: no threadId.
    expect(fromBob!.incoming.conversation).toEqual({ platform: 'telegram', chatId: String(group.id), isGroup: true });
    expect(chatter!.options).toEqual({ addressed: false });
    expect(fake.botMessages(group)).toHaveLength(4);
    // No typing… for the unaddressed message: one per addressed message only.
    expect(fake.callsTo('sendChatAction')).toHaveLength(3);
  });

  it('ignores commands addressed to another bot', async () => {
    const stub = createStubFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const group = fake.group();
    fake.sendText(group, alice, '/start@some_other_bot');
    fake.sendText(group, alice, '/start');
    await fake.waitUntil(() => stub.of('text').length === 1);
    await settle();
    expect(stub.of('text').map((c) => c.text)).toEqual(['/start']);
  });

  it('a button in a group passes the clicking user, not the message author', async () => {
    const stub = createStubFrontDoor({
      text: () => [text('Question', { buttons: [[{ label: 'A', data: encodeAction({ kind: 'answer', generationId: 4, question: 0, choice: 1, owner: 1 }) }]] })],
      action: () => [text('Not your exercise', { ephemeral: true })],
    });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const bob = fake.user();
    const group = fake.group();
    fake.sendText(group, alice, '/exercise');
    await fake.waitUntil(() => fake.botMessages(group).length === 1);
    const [message] = fake.botMessages(group);
    const query = fake.pressButton(group, bob, message!.message_id, message!.buttons[0]![0]!.callback_data!);
    await fake.waitUntil(() => fake.callbackAnswer(query).answered);
    expect(stub.of('action')[0]!.incoming.user.externalId).toBe(String(bob.id));
    expect(fake.callbackAnswer(query)).toMatchObject({ text: 'Not your exercise', show_alert: false });
    await settle();
    expect(fake.botMessages(group)).toHaveLength(1); // the ephemeral notice is not posted to the group
  });
});
