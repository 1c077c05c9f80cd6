// Authorization: a learner cannot reach another learner's things — saved items (/saved N, /delete N),
// private content by id (/save generation:N and buttons that show content), a role-play they did not join
// (/end, the End button from another chat), review cards (flip/grade), exercise answers (owner check), the
// /forget confirmation button — and a rating button rates only for the one who clicks. Refused with a clear
// message and nothing changed, through the front door, Telegram and Discord.
//
// Decision on /save generation:N: saving by id is a copy, allowed for content the learner could see anyway —
// their own, or content made in the chat they are in (a group's shared flashcards, as the Save button does).
// Another learner's content from another chat is reported like a missing one ("nothing to save").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import type { Incoming } from '../../src/commands/front-door.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { startHarness as startDiscord } from '../discord/helpers/harness.ts';
import type { FakeInteraction, FakeMessage } from '../support/fake-discord/index.ts';
import { message, recordUnhandledRejections } from './helpers.ts';

const unhandled = recordUnhandledRejections();

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ env: { USER_CALLS_PER_MINUTE: '10000' } });
});
afterAll(async () => {
  await t.close();
});

/** Row counts and contents that a refused request must leave as they are. */
async function snapshot() {
  const p = t.prisma;
  await t.core.activityLog.flush();
  return {
    users: await p.user.count(),
    saved: await p.savedContent.findMany({ orderBy: { id: 'asc' } }),
    feedback: await p.feedback.findMany({ orderBy: { id: 'asc' } }),
    cards: await p.reviewCard.findMany({ orderBy: { id: 'asc' } }),
    reviews: await p.reviewLog.count(),
    attempts: await p.exerciseAttempt.count(),
    sessions: await p.simulationSession.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
  };
}

const buttonsOf = (replies: Array<{ buttons?: Array<Array<{ data: string }>> }> | null) => (replies ?? []).flatMap((r) => (r.buttons ?? []).flat().map((b) => b.data));
const dataOf = (replies: Parameters<typeof buttonsOf>[0], kind: string) => buttonsOf(replies).find((d) => decodeAction(d)?.kind === kind)!;
const userId = async (externalId: string) => (await t.prisma.platformAccount.findFirstOrThrow({ where: { externalId } })).userId;

describe('through the front door', () => {
  let anaDm: Incoming;
  let benDm: Incoming;
  let anaGroup: Incoming;
  let benGroup: Incoming;
  let anaPrivateGeneration: number;
  let groupGeneration: number;
  let anaExercises: string;
  let anaForget: string;

  beforeAll(async () => {
    anaDm = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
    benDm = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    anaGroup = incomingFrom(t.logger, { id: 'ana', name: 'Ana' }, { id: 'team', isGroup: true });
    benGroup = incomingFrom(t.logger, { id: 'ben', name: 'Ben' }, { id: 'team', isGroup: true });
    const cards = await t.frontDoor.text(anaDm, '/flashcards my private topic count:2', { addressed: true });
    anaPrivateGeneration = (decodeAction(dataOf(cards, 'save')) as { generationId: number }).generationId;
    expect(replyText(await t.frontDoor.text(anaDm, '/save', { addressed: true }))).toMatch(/Saved as #1/);
    const shared = await t.frontDoor.text(anaGroup, '/flashcards team words count:2', { addressed: true });
    groupGeneration = (decodeAction(dataOf(shared, 'save')) as { generationId: number }).generationId;
    anaExercises = dataOf(await t.frontDoor.text(anaGroup, '/exercises team verbs count:2', { addressed: true }), 'answer');
    anaForget = dataOf(await t.frontDoor.text(anaDm, '/forget', { addressed: true }), 'forget');
    await t.frontDoor.text(benDm, '/start', { addressed: true });
    await t.frontDoor.action(anaDm, encodeAction({ kind: 'rate', generationId: groupGeneration, rating: 5 }));
  });

  const refused: Array<[label: string, run: () => Promise<string>, expected: RegExp]> = [
    ["/saved N of another learner's item", async () => replyText(await t.frontDoor.text(benDm, '/saved 1', { addressed: true })), message('errors.savedNotFound')],
    ["/delete N of another learner's item", async () => replyText(await t.frontDoor.text(benDm, '/delete 1', { addressed: true })), message('errors.savedNotFound')],
    ["/save generation:N of another learner's private content", async () => replyText(await t.frontDoor.text(benDm, `/save generation:${anaPrivateGeneration}`, { addressed: true })), message('errors.nothingToSave')],
    ["the Save button of another learner's private content (forged)", async () => replyText(await t.frontDoor.action(benDm, encodeAction({ kind: 'save', generationId: anaPrivateGeneration }))), message('errors.notAvailable')],
    ["the reveal button of another learner's private flashcards (forged)", async () => replyText(await t.frontDoor.action(benDm, encodeAction({ kind: 'reveal', generationId: anaPrivateGeneration, card: 0 }))), message('errors.notAvailable')],
    ["another learner's exercise answer button", async () => replyText(await t.frontDoor.action(benGroup, anaExercises)), message('errors.notYourQuestions')],
    [
      "another chat's exercises with a forged 'anyone' owner",
      async () => {
        const a = decodeAction(anaExercises) as { generationId: number };
        return replyText(await t.frontDoor.action(benDm, encodeAction({ kind: 'answer', generationId: a.generationId, question: 0, choice: 0, owner: 0 })));
      },
      message('errors.notAvailable'),
    ],
    ["another learner's /forget confirmation button", async () => replyText(await t.frontDoor.action(benGroup, anaForget)), message('data.forget.notYours')],
    [
      "another learner's review card: flip",
      async () => {
        const card = await t.prisma.reviewCard.findFirstOrThrow({ where: { userId: await userId('ana') } });
        return replyText(await t.frontDoor.action(benDm, encodeAction({ kind: 'flip', cardId: card.id })));
      },
      message('errors.cardNotFound'),
    ],
    [
      "another learner's review card: grade",
      async () => {
        const card = await t.prisma.reviewCard.findFirstOrThrow({ where: { userId: await userId('ana') } });
        return replyText(await t.frontDoor.action(benDm, encodeAction({ kind: 'grade', cardId: card.id, grade: 4 })));
      },
      message('errors.cardNotFound'),
    ],
  ];

  it.each(refused)('%s: refused, nothing changed', async (_label, run, expected) => {
    const before = await snapshot();
    expect(await run()).toMatch(expected);
    expect(await snapshot()).toEqual(before);
    expect(unhandled).toEqual([]);
  });

  it('a role-play one did not join: /end in its chat and the End button from another chat are refused', async () => {
    const scenario = await t.frontDoor.text(anaGroup, '/simulate at the bakery', { addressed: true });
    const end = dataOf(scenario, 'end');
    await t.frontDoor.text(anaGroup, 'Hola, quiero pan', { addressed: true });
    const before = await snapshot();
    expect(replyText(await t.frontDoor.text(benGroup, '/end', { addressed: true }))).toMatch(message('errors.notStarter'));
    // From another chat the role-play is "not available", exactly like one that does not exist.
    expect(replyText(await t.frontDoor.action(benDm, end))).toBe(replyText(await t.frontDoor.action(benDm, encodeAction({ kind: 'end', sessionId: 999_999 }))));
    expect(replyText(await t.frontDoor.action(benDm, end))).toMatch(message('errors.notAvailable'));
    expect(replyText(await t.frontDoor.action(benGroup, end))).toMatch(message('errors.notStarter'));
    expect(await snapshot()).toEqual(before);
    expect(replyText(await t.frontDoor.action(anaGroup, end))).toMatch(/finished/i);
  });

  it('/save generation:N of content made in the same group is a copy for the one who saves', async () => {
    const anaSaved = await t.prisma.savedContent.count({ where: { userId: await userId('ana') } });
    expect(replyText(await t.frontDoor.text(benGroup, `/save generation:${groupGeneration}`, { addressed: true }))).toMatch(/Saved as #\d+/);
    expect(await t.prisma.savedContent.count({ where: { userId: await userId('ben'), generationId: groupGeneration } })).toBe(1);
    expect(await t.prisma.savedContent.count({ where: { userId: await userId('ana') } })).toBe(anaSaved);
  });

  it("a rating button rates for the clicker only: Ben's 2 leaves Ana's 5", async () => {
    expect(replyText(await t.frontDoor.action(benGroup, encodeAction({ kind: 'rate', generationId: groupGeneration, rating: 2 })))).toContain('2/5');
    const ratings = await t.prisma.feedback.findMany({ where: { relatedGenerationId: groupGeneration, rating: { not: null } } });
    const byUser = Object.fromEntries(ratings.map((f) => [f.userId, f.rating]));
    expect(byUser).toEqual({ [await userId('ana')]: 5, [await userId('ben')]: 2 });
  });
});

describe('through Telegram', () => {
  it("another member's buttons in a group, and forged payloads from a private chat, are refused", async () => {
    const h = await startTelegram(t.frontDoor);
    const { fake } = h;
    const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
    const ben = fake.user({ first_name: 'Ben', language_code: 'en' });
    const group = fake.group({ supergroup: true });
    const benDm = fake.privateChat(ben);
    const anaDm = fake.privateChat(ana);
    const say = async (chat: typeof group, from: typeof ana, text: string, count = 1) => {
      const before = fake.botMessages(chat).length;
      fake.sendText(chat, from, text);
      await fake.waitUntil(() => fake.botMessages(chat).length >= before + count, 15_000, `answer to ${text}`);
      return fake.botMessages(chat).slice(before);
    };
    /** Presses `data` as `from`, on `messageId` when the button is really there, else as a forged query; returns the answer toast/alert or message. */
    const press = async (chat: typeof group, from: typeof ana, messageId: number, data: string) => {
      const before = fake.botMessages(chat).length;
      const stored = fake.chatState(chat).messages.get(messageId);
      const real = stored?.message.reply_markup?.inline_keyboard.flat().some((b) => b.callback_data === data);
      let query: string;
      if (real) query = fake.pressButton(chat, from, messageId, data);
      else {
        query = `forged-${Math.random().toString(36).slice(2)}`;
        fake.world.callbackQueries.set(query, { answered: false });
        fake.pushUpdate({ callback_query: { id: query, from, chat_instance: String(chat.id), data, ...(stored ? { message: structuredClone(stored.message) } : {}) } });
      }
      await fake.waitUntil(() => fake.callbackAnswer(query).answered, 10_000, 'the callback answer');
      // The control: /help after the press in the same chat (handled in order) is answered; whatever the press
      // sent came before that answer.
      fake.sendText(chat, from, '/help');
      const isHelp = (m: { text: string }) => m.text.includes('/flashcards') && m.text.includes('/forget');
      await fake.waitUntil(() => fake.botMessages(chat).slice(before).some(isHelp), 15_000, 'the answer to /help');
      const sent = fake.botMessages(chat).slice(before);
      return [fake.callbackAnswer(query).text ?? '', ...sent.slice(0, sent.findIndex(isHelp)).map((m) => m.text)].join('\n');
    };

    const [intro, question] = await say(group, ana, '/exercises team verbs count:2', 2);
    const answer = question!.buttons.flat()[0]!.callback_data!;
    const [cards] = await say(group, ana, '/flashcards team words count:2');
    const rate = cards!.buttons.flat().find((b) => (decodeAction(b.callback_data!) as { kind?: string; rating?: number } | undefined)?.rating === 5)!.callback_data!;
    const [privateCards] = await say(anaDm, ana, '/flashcards my diary count:2');
    const privateGeneration = decodeAction(privateCards!.buttons.flat().find((b) => decodeAction(b.callback_data!)?.kind === 'save')!.callback_data!) as { generationId: number };
    const [forget] = await say(anaDm, ana, '/forget');
    const [benStart] = await say(benDm, ben, '/start');
    const forgetData = forget!.buttons.flat()[0]!.callback_data!;
    const before = await snapshot();

    expect(await press(group, ben, question!.message_id, answer)).toMatch(message('errors.notYourQuestions'));
    expect(await press(benDm, ben, benStart!.message_id, forgetData)).toMatch(message('data.forget.notYours'));
    expect(await press(benDm, ben, benStart!.message_id, encodeAction({ kind: 'reveal', generationId: privateGeneration.generationId, card: 0 }))).toMatch(message('errors.notAvailable'));
    expect(await press(benDm, ben, benStart!.message_id, encodeAction({ kind: 'save', generationId: privateGeneration.generationId }))).toMatch(message('errors.notAvailable'));
    expect(await snapshot()).toEqual(before);
    expect(await press(group, ben, cards!.message_id, rate)).toContain('5/5');
    expect(await t.prisma.feedback.count({ where: { userId: await userId(String(ben.id)) } })).toBe(1);
    expect(await t.prisma.feedback.count({ where: { userId: await userId(String(ana.id)) } })).toBe(0);
    void intro;
    expect(fake.failedCalls()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);
});

describe('through Discord', () => {
  it("another user's exercise, /forget and role-play buttons, and a review card of someone else, are refused", async () => {
    const h = await startDiscord({ frontDoor: t.frontDoor, logger: t.logger });
    try {
      const { fake, alice, bob } = h;
      const answersOf = (i: FakeInteraction) => [...fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
      const answered = (i: FakeInteraction, count = 1) => fake.waitFor(() => answersOf(i).length >= count && answersOf(i), 15_000, `answer to ${i.id}`);
      const customIds = (m: FakeMessage) => JSON.stringify(m.components).match(/"custom_id":"([^"]*)"/g)?.map((x) => x.slice(13, -1)) ?? [];
      const textOf = (messages: FakeMessage[]) => messages.map((m) => [m.content, ...m.embeds.map((e) => JSON.stringify(e))].join('\n')).join('\n').replace(/\\/g, '');
      /** Bob presses `customId` on `on`; returns what he is told (follow-ups of his interaction). */
      const bobPresses = async (on: FakeMessage, customId: string) => {
        const press = fake.pressButton({ message: on, customId, user: bob });
        return textOf(await answered(press));
      };

      const exercises = fake.slashCommand({ name: 'exercises', options: { topic: 'verbs', count: 2 }, user: alice });
      const [, question] = await answered(exercises, 2);
      const answer = customIds(question!).find((id) => decodeAction(id)?.kind === 'answer')!;
      const forget = fake.slashCommand({ name: 'forget', user: alice });
      const [forgetMessage] = await answered(forget);
      const forgetId = customIds(forgetMessage!).find((id) => decodeAction(id)?.kind === 'forget')!;
      const simulate = fake.slashCommand({ name: 'simulate', options: { topic: 'at the bakery' }, user: alice });
      await answered(simulate);
      // The End button rides on a message of the role-play (in its thread on Discord).
      const scenario = await fake.waitFor(() => [...fake.world.messages.values()].find((m) => customIds(m).some((id) => decodeAction(id)?.kind === 'end')), 10_000, 'the End button');
      const endId = customIds(scenario).find((id) => decodeAction(id)?.kind === 'end')!;
      // Someone else's review card (a terminal learner who saved flashcards).
      const zed = incomingFrom(t.logger, { id: 'zed', name: 'Zed' });
      await t.frontDoor.text(zed, '/flashcards zed words count:2', { addressed: true });
      await t.frontDoor.text(zed, '/save', { addressed: true });
      const zedCard = await t.prisma.reviewCard.findFirstOrThrow({ where: { userId: await userId('zed') } });
      await answered(fake.slashCommand({ name: 'help', user: bob })); // Bob is a learner already
      const before = await snapshot();

      expect(await bobPresses(question!, answer)).toMatch(message('errors.notYourQuestions'));
      expect(await bobPresses(forgetMessage!, forgetId)).toMatch(message('data.forget.notYours'));
      // The End button rides on the thread's starter message, in the channel: another chat than the role-play's.
      expect(await bobPresses(scenario, endId)).toMatch(message('errors.notAvailable'));
      expect(await bobPresses(scenario, encodeAction({ kind: 'grade', cardId: zedCard.id, grade: 3 }))).toMatch(message('errors.cardNotFound'));
      const end = fake.slashCommand({ name: 'end', user: bob, channelId: fake.threads()[0]?.id ?? fake.channelId });
      expect(textOf(await answered(end))).toMatch(message('errors.notStarter'));
      expect(await snapshot()).toEqual(before);
      expect(fake.rejected().filter((c) => !c.path.includes('/threads'))).toEqual([]);
    } finally {
      await h.close();
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});
