// Forged buttons: a payload naming another learner's private content (a generation, a role-play) gets exactly
// the answer a payload naming nothing gets — "not available" — on every action, changes nothing, and copies
// nothing of theirs anywhere (a forged Rate used to copy the other's topic into the forger's /mydata).
// Driven the attacker's way: the front door, a forged Telegram callback_query, a forged Discord custom_id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type ActionPayload } from '../../src/core/actions.ts';
import type { Incoming } from '../../src/commands/front-door.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { startHarness as startDiscord } from '../discord/helpers/harness.ts';
import type { FakeInteraction, FakeMessage } from '../support/fake-discord/index.ts';
import { message, recordUnhandledRejections } from './helpers.ts';

const unhandled = recordUnhandledRejections();
const MISSING = 987_654;

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ env: { USER_CALLS_PER_MINUTE: '10000' } });
});
afterAll(async () => {
  await t.close();
});

/** Everything a refused press must leave as it was. */
async function snapshot() {
  const p = t.prisma;
  await t.core.activityLog.flush();
  return {
    saved: await p.savedContent.findMany({ orderBy: { id: 'asc' } }),
    feedback: await p.feedback.findMany({ orderBy: { id: 'asc' } }),
    cards: await p.reviewCard.count(),
    attempts: await p.exerciseAttempt.count(),
    sessions: await p.simulationSession.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
  };
}

const buttonsOf = (replies: Array<{ buttons?: Array<Array<{ data: string }>> }> | null) => (replies ?? []).flatMap((r) => (r.buttons ?? []).flat().map((b) => b.data));
const find = (replies: Parameters<typeof buttonsOf>[0], kind: string) => buttonsOf(replies).map((d) => decodeAction(d)).find((a) => a?.kind === kind)!;

describe('through the front door: every action answers alike for "not yours" and "does not exist"', () => {
  let ben: Incoming;
  const cases: Array<[kind: string, theirs: ActionPayload, missing: ActionPayload]> = [];

  beforeAll(async () => {
    const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
    ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    const anaId = async () => (await t.prisma.platformAccount.findFirstOrThrow({ where: { externalId: 'ana' } })).userId;
    const cards = find(await t.frontDoor.text(ana, '/flashcards ana secret garden count:2', { addressed: true }), 'save') as { generationId: number };
    const exercises = await t.frontDoor.text(ana, '/exercises ana secret verbs count:2', { addressed: true });
    const answer = find(exercises, 'answer') as Extract<ActionPayload, { kind: 'answer' }>;
    await t.frontDoor.action(ana, encodeAction(answer)); // Ana answered question 0: her "add to deck" would work
    const end = find(await t.frontDoor.text(ana, '/simulate ana secret bakery', { addressed: true }), 'end') as { sessionId: number };
    await t.frontDoor.text(ben, '/start', { addressed: true });
    const owner = await anaId();
    const g = cards.generationId;
    const e = answer.generationId;
    cases.push(
      ['rate', { kind: 'rate', generationId: g, rating: 5 }, { kind: 'rate', generationId: MISSING, rating: 5 }],
      ['save', { kind: 'save', generationId: g }, { kind: 'save', generationId: MISSING }],
      ['reveal', { kind: 'reveal', generationId: g, card: 0 }, { kind: 'reveal', generationId: MISSING, card: 0 }],
      ['answer', { kind: 'answer', generationId: e, question: 0, choice: 0, owner }, { kind: 'answer', generationId: MISSING, question: 0, choice: 0, owner }],
      ['answer (anyone)', { kind: 'answer', generationId: e, question: 0, choice: 0, owner: 0 }, { kind: 'answer', generationId: MISSING, question: 0, choice: 0, owner: 0 }],
      ['question', { kind: 'question', generationId: e, question: 1, owner }, { kind: 'question', generationId: MISSING, question: 1, owner }],
      ['card', { kind: 'card', generationId: e, question: 0 }, { kind: 'card', generationId: MISSING, question: 0 }],
      ['end', { kind: 'end', sessionId: end.sessionId }, { kind: 'end', sessionId: MISSING }],
    );
  });

  it('each forged payload of Ana\'s gets the answer a missing id gets, "not available", and changes nothing', async () => {
    expect(cases.length).toBe(8);
    const before = await snapshot();
    for (const [kind, theirs, missing] of cases) {
      const forged = replyText(await t.frontDoor.action(ben, encodeAction(theirs)));
      const none = replyText(await t.frontDoor.action(ben, encodeAction(missing)));
      expect(forged, kind).toBe(none);
      expect(forged, kind).toMatch(message('errors.notAvailable'));
    }
    expect(await snapshot()).toEqual(before);
    // Positive control: Ben's own rating goes through the same path.
    const own = find(await t.frontDoor.text(ben, '/flashcards ben words count:2', { addressed: true }), 'save') as { generationId: number };
    expect(replyText(await t.frontDoor.action(ben, encodeAction({ kind: 'rate', generationId: own.generationId, rating: 4 })))).toContain('4/5');
    expect(unhandled).toEqual([]);
  });
});

describe('through Telegram', () => {
  it("a forged callback_query rating another learner's generation: 'not available' like a missing id, and their topic stays out of the forger's /mydata", async () => {
    const { fake } = await startTelegram(t.frontDoor);
    const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
    const eve = fake.user({ first_name: 'Eve', language_code: 'en' });
    const anaDm = fake.privateChat(ana);
    const eveDm = fake.privateChat(eve);
    const say = async (chat: typeof anaDm, from: typeof ana, text: string) => {
      const before = fake.botMessages(chat).length;
      fake.sendText(chat, from, text);
      await fake.waitUntil(() => fake.botMessages(chat).length > before, 15_000, `answer to ${text}`);
      return fake.botMessages(chat).slice(before);
    };
    /** A callback_query Eve's client never got: forged data on one of her own messages. */
    const forge = async (on: number, data: string) => {
      const query = `forged-${Math.random().toString(36).slice(2)}`;
      fake.world.callbackQueries.set(query, { answered: false });
      const stored = fake.chatState(eveDm).messages.get(on)!;
      fake.pushUpdate({ callback_query: { id: query, from: eve, chat_instance: String(eveDm.id), data, message: structuredClone(stored.message) } });
      await fake.waitUntil(() => fake.callbackAnswer(query).answered, 10_000, 'the callback answer');
      return fake.callbackAnswer(query).text ?? '';
    };

    const [cards] = await say(anaDm, ana, '/flashcards zebra kingdom count:2');
    const save = cards!.buttons.flat().map((b) => decodeAction(b.callback_data!)).find((a) => a?.kind === 'save') as { generationId: number };
    const [hello] = await say(eveDm, eve, '/start');
    const before = await snapshot();

    const theirs = await forge(hello!.message_id, encodeAction({ kind: 'rate', generationId: save.generationId, rating: 5 }));
    const missing = await forge(hello!.message_id, encodeAction({ kind: 'rate', generationId: MISSING, rating: 5 }));
    expect(theirs).toBe(missing);
    expect(theirs).toMatch(message('errors.notAvailable'));
    expect(await snapshot()).toEqual(before);

    fake.sendText(eveDm, eve, '/mydata');
    await fake.waitUntil(() => fake.botMessages(eveDm).some((m) => m.document), 15_000, 'the /mydata file');
    const data = fake.botMessages(eveDm).find((m) => m.document)!;
    expect(data.document!.filename).toBe('my-data.json');
    const json = data.document!.bytes.toString('utf8');
    expect(json).toContain('Eve'); // it is Eve's data…
    expect(json.toLowerCase()).not.toContain('zebra'); // …without Ana's topic
    expect(fake.failedCalls()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);
});

describe('through Discord', () => {
  it("a forged custom_id rating or revealing another learner's generation answers like a missing one", async () => {
    const h = await startDiscord({ frontDoor: t.frontDoor, logger: t.logger });
    try {
      const { fake, alice, bob } = h;
      const answersOf = (i: FakeInteraction) => [...fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
      const answered = (i: FakeInteraction) => fake.waitFor(() => answersOf(i).length >= 1 && answersOf(i), 15_000, `answer to ${i.id}`);
      const customIds = (m: FakeMessage) => JSON.stringify(m.components).match(/"custom_id":"([^"]*)"/g)?.map((x) => x.slice(13, -1)) ?? [];
      const textOf = (messages: FakeMessage[]) => messages.map((m) => [m.content, ...m.embeds.map((e) => JSON.stringify(e))].join('\n')).join('\n');

      const [cards] = await answered(fake.slashCommand({ name: 'flashcards', options: { topic: 'alice private words', count: 2 }, user: alice, dm: true }));
      const save = customIds(cards!).map((id) => decodeAction(id)).find((a) => a?.kind === 'save') as { generationId: number };
      const [bobsOwn] = await answered(fake.slashCommand({ name: 'flashcards', options: { topic: 'bob words', count: 2 }, user: bob, dm: true }));
      const before = await snapshot();
      const press = async (payload: ActionPayload) => textOf(await answered(fake.pressButton({ message: bobsOwn!, customId: encodeAction(payload), user: bob })));

      for (const [theirs, missing] of [
        [{ kind: 'rate', generationId: save.generationId, rating: 1 }, { kind: 'rate', generationId: MISSING, rating: 1 }],
        [{ kind: 'reveal', generationId: save.generationId, card: 0 }, { kind: 'reveal', generationId: MISSING, card: 0 }],
      ] as Array<[ActionPayload, ActionPayload]>) {
        const forged = await press(theirs);
        expect(forged).toBe(await press(missing));
        expect(forged).toMatch(message('errors.notAvailable'));
      }
      expect(await snapshot()).toEqual(before);
    } finally {
      await h.close();
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});
