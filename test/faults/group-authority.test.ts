// Group chats: only the learner who started a role-play, or an administrator of the chat, may end it (Telegram:
// getChatMember; Discord: the member's permissions); /export in a group puts no file into the group; an
// "anyone may answer" exercise payload works only in the chat the exercises were sent in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type ActionPayload } from '../../src/core/actions.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { startHarness as startDiscord } from '../discord/helpers/harness.ts';
import type { FakeInteraction, FakeMessage } from '../support/fake-discord/index.ts';
import { PERMISSIONS } from '../support/fake-discord/model.ts';
import type { FakeChat, FakeUser } from '../support/fake-telegram/state.ts';
import { message, recordUnhandledRejections } from './helpers.ts';

const unhandled = recordUnhandledRejections();

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ env: { USER_CALLS_PER_MINUTE: '10000' } });
});
afterAll(async () => {
  await t.close();
});

const sessionStatus = async () => (await t.prisma.simulationSession.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } })).map((s) => s.status);

describe('through Telegram', () => {
  async function start() {
    const { fake } = await startTelegram(t.frontDoor);
    const say = async (chat: FakeChat, from: FakeUser, text: string, count = 1) => {
      const before = fake.botMessages(chat).length;
      fake.sendText(chat, from, text);
      await fake.waitUntil(() => fake.botMessages(chat).length >= before + count, 15_000, `answer to ${text}`);
      return fake.botMessages(chat).slice(before);
    };
    return { fake, say };
  }

  it('a member who did not start the role-play cannot /end it; a chat admin can', async () => {
    const { fake, say } = await start();
    const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
    const ben = fake.user({ first_name: 'Ben', language_code: 'en' });
    const cleo = fake.user({ first_name: 'Cleo', language_code: 'en' });
    const group = fake.group({ supergroup: true });
    fake.makeAdmin(group, cleo);
    const opening = (await say(group, ana, '/simulate at the bakery')).at(-1);
    // Ben takes part (a reply to the tutor's line): a participant could end it before; still not his to end.
    const beforeTurn = fake.botMessages(group).length;
    fake.sendText(group, ben, 'Hola, quiero pan', { replyTo: opening!.message_id });
    await fake.waitUntil(() => fake.botMessages(group).length > beforeTurn, 15_000, "the tutor's answer to Ben");
    const before = await sessionStatus();
    expect(before.at(-1)).toBe('active');
    const [refused] = await say(group, ben, '/end');
    expect(refused!.text).toMatch(message('errors.notStarter'));
    expect(await sessionStatus()).toEqual(before);
    expect(fake.callsTo('getChatMember').some((c) => c.ok && (c.payload as { user_id: number }).user_id === ben.id)).toBe(true);

    const [summary] = await say(group, cleo, '/end');
    expect(summary!.text).toMatch(/finished/i);
    expect((await sessionStatus()).at(-1)).toBe('ended');
    expect(fake.failedCalls()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('/export in a group puts no file into the group (it is refused there, and works in private)', async () => {
    const { fake, say } = await start();
    const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
    const group = fake.group({ supergroup: true });
    const dm = fake.privateChat(ana);
    await say(dm, ana, '/flashcards kitchen count:2');
    await say(dm, ana, '/save');
    const [refused] = await say(group, ana, '/export');
    expect(refused!.text).toMatch(message('data.export.privateOnly'));
    expect(fake.botMessages(group).filter((m) => m.document)).toEqual([]);
    expect(fake.callsTo('sendDocument').filter((c) => (c.payload as { chat_id: unknown }).chat_id == group.id)).toEqual([]);
    // Positive control: in private the files come.
    fake.sendText(dm, ana, '/export');
    await fake.waitUntil(() => fake.botMessages(dm).filter((m) => m.document).length >= 2, 15_000, 'the export files');
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('a forged "anyone may answer" payload for questions asked in a private chat is refused in a group', async () => {
    const { fake, say } = await start();
    const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
    const ben = fake.user({ first_name: 'Ben', language_code: 'en' });
    const group = fake.group({ supergroup: true });
    const dm = fake.privateChat(ana);
    const [, question] = await say(dm, ana, '/exercises private verbs count:2', 2);
    const real = decodeAction(question!.buttons.flat()[0]!.callback_data!) as Extract<ActionPayload, { kind: 'answer' }>;
    const [groupMessage] = await say(group, ana, '/help');
    const forged = encodeAction({ ...real, owner: 0 });
    const press = async (from: FakeUser) => {
      const query = `forged-${Math.random().toString(36).slice(2)}`;
      fake.world.callbackQueries.set(query, { answered: false });
      const stored = fake.chatState(group).messages.get(groupMessage!.message_id)!;
      fake.pushUpdate({ callback_query: { id: query, from, chat_instance: String(group.id), data: forged, message: structuredClone(stored.message) } });
      await fake.waitUntil(() => fake.callbackAnswer(query).answered, 10_000, 'the callback answer');
      return fake.callbackAnswer(query).text ?? '';
    };
    const attempts = await t.prisma.exerciseAttempt.count();
    const groupMessages = fake.botMessages(group).length;
    expect(await press(ana)).toMatch(message('errors.notAvailable'));
    expect(await press(ben)).toMatch(message('errors.notAvailable'));
    expect(await t.prisma.exerciseAttempt.count()).toBe(attempts);
    // Positive control: the real button, in the chat it was sent in, answers (and nothing reached the group).
    fake.pressButton(dm, ana, question!.message_id, question!.buttons.flat()[0]!.callback_data!);
    await fake.waitUntil(() => fake.chatState(dm).messages.get(question!.message_id)!.message.reply_markup === undefined, 15_000, 'the verdict');
    expect(await t.prisma.exerciseAttempt.count()).toBe(attempts + 1);
    expect(fake.botMessages(group).length).toBe(groupMessages);
    expect(unhandled).toEqual([]);
  }, 60_000);
});

describe('through Discord', () => {
  it('/end in the role-play thread: refused for a member who did not start it, accepted for one who may manage messages', async () => {
    const h = await startDiscord({ frontDoor: t.frontDoor, logger: t.logger });
    try {
      const { fake, alice, bob } = h;
      const mod = fake.addUser('mod', { globalName: 'Mod' });
      fake.setMemberPermissions(mod, PERMISSIONS.MANAGE_MESSAGES);
      const answersOf = (i: FakeInteraction) => [...fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
      const answered = (i: FakeInteraction) => fake.waitFor(() => answersOf(i).length >= 1 && answersOf(i), 15_000, `answer to ${i.id}`);
      const textOf = (messages: FakeMessage[]) => messages.map((m) => [m.content, ...m.embeds.map((e) => JSON.stringify(e))].join('\n')).join('\n');

      await answered(fake.slashCommand({ name: 'simulate', options: { topic: 'at the market' }, user: alice }));
      const thread = await fake.waitFor(() => fake.threads()[0], 10_000, 'the thread');
      const before = await sessionStatus();
      expect(textOf(await answered(fake.slashCommand({ name: 'end', user: bob, channelId: thread.id })))).toMatch(message('errors.notStarter'));
      expect(await sessionStatus()).toEqual(before);
      expect(textOf(await answered(fake.slashCommand({ name: 'end', user: mod, channelId: thread.id })))).toMatch(/finished/i);
      expect((await sessionStatus()).at(-1)).toBe('ended');
    } finally {
      await h.close();
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});
