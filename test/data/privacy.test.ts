// /mydata and /forget through the real front door and database: the file holds the learner's rows and
// nobody else's; deletion needs confirmation from that learner, removes their data and keeps others'.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import { learnerId } from './helpers.ts';

let t: TestCore;
let db: TestDatabase | undefined;
afterEach(async () => {
  await t?.close();
  await db?.drop();
  db = undefined;
});

const group = { id: 'group-1', isGroup: true };
const ana = (chat = {}) => incomingFrom(t.logger, { id: 'ana', name: 'Ana' }, chat);
const ben = (chat = {}) => incomingFrom(t.logger, { id: 'ben', name: 'Ben' }, chat);
const say = async (who: ReturnType<typeof ana>, text: string) => (await t.frontDoor.text(who, text, { addressed: true }))!;

/** Both learners study; they share a role-play in a group; Ben rates Ana's flashcards. */
async function twoLearners() {
  const cards = await say(ana(), '/flashcards kitchen count:2');
  await say(ana(), '/save');
  await say(ana(), '/rate 5');
  const exercises = await say(ana(), '/exercises verbs count:1');
  await t.frontDoor.action(ana(), exercises[1]!.buttons!.flat()[0]!.data);
  await say(ana(), '/curriculum ordering food lessons:2');
  await say(ben(), '/flashcards zebra stripes count:2');
  await say(ben(), '/save');
  await say(ana(group), '/simulate at the bakery');
  await say(ana(group), 'Hola, quiero pan');
  await say(ben(group), 'Yo quiero un secreto de Ben');
  await say(ana(group), '/end');
  // Ben rates Ana's role-play scenario where he can see it: in the group (another's private content he cannot rate).
  void cards;
  const scenario = await t.prisma.generation.findFirstOrThrow({ where: { contentType: 'simulation' }, orderBy: { id: 'desc' } });
  await t.frontDoor.action(ben(group), encodeAction({ kind: 'rate', generationId: scenario.id, rating: 2 }));
  await t.core.activityLog.flush();
}

describe('/mydata', () => {
  it("holds the learner's rows and nobody else's; refused in a group", async () => {
    t = await createTestCore();
    await twoLearners();
    const anaId = await learnerId(t, ana());
    const benId = await learnerId(t, ben());

    expect(replyText(await say(ana(group), '/mydata'))).toContain('send /mydata to me in a private chat');
    const [reply] = await say(ana(), '/mydata');
    expect(reply!.attachment).toMatchObject({ filename: 'my-data.json', mimeType: 'application/json' });
    const text = new TextDecoder().decode(reply!.attachment!.data);
    const data = JSON.parse(text);

    expect(data).toMatchObject({ format: 'language-tutor-personal-data', version: 1, user: { id: anaId, displayName: 'Ana' } });
    expect(data.platformAccounts).toEqual([expect.objectContaining({ platform: 'console', externalId: 'ana', userId: anaId })]);
    expect(data.savedItems).toHaveLength(1);
    expect(data.feedback).toHaveLength(1);
    expect(data.generations.length).toBeGreaterThanOrEqual(4); // flashcards, exercises, curriculum, scenario, turns…
    expect(data.activityLog.length).toBeGreaterThan(0);
    expect(data.reviewCards).toHaveLength(2);
    expect(data.exerciseAttempts).toHaveLength(1);
    expect(data.curricula[0].lessons).toHaveLength(2);
    expect(data.dailyUsage.length).toBeGreaterThan(0);
    const [session] = data.simulationSessions;
    expect(session.startedByYou).toBe(true);
    expect(session.participants).toEqual([expect.objectContaining({ userId: anaId })]);
    expect(session.turns.some((turn: { text: string }) => turn.text === 'Hola, quiero pan')).toBe(true);
    expect(session.summary).toEqual([expect.objectContaining({ userId: anaId })]);

    // Nothing of Ben's: no row with his id, not his words, not his topics.
    const rows: Array<Record<string, unknown>> = [
      ...data.platformAccounts, ...data.savedItems, ...data.feedback, ...data.activityLog, ...data.generations, ...data.reviewCards,
      ...data.reviewLog, ...data.curricula, ...data.exerciseAttempts, ...data.dailyUsage, ...session.participants, ...session.turns,
    ];
    expect(rows.every((row) => row.userId === anaId || (row.userId === null && row.role === 'tutor'))).toBe(true);
    expect(text).not.toContain('secreto de Ben');
    expect(text).not.toContain('zebra');
    expect(text).not.toContain(`"userId": ${benId}`);
  });
});

describe.each(PROVIDERS)('/forget on $name', ({ create, skip }) => {
  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : what);

  it.skipIf(Boolean(skip))(title('asks first; only the learner can confirm; then their data is gone and others stay'), async () => {
    db = await create();
    t = await createTestCore({ database: db });
    await twoLearners();
    const anaId = await learnerId(t, ana());
    const benId = await learnerId(t, ben());
    const benRows = async () => ({
      saved: await t.prisma.savedContent.count({ where: { userId: benId } }),
      cards: await t.prisma.reviewCard.count({ where: { userId: benId } }),
      activity: await t.prisma.activityLog.count({ where: { userId: benId } }),
      generations: await t.prisma.generation.count({ where: { userId: benId } }),
      accounts: await t.prisma.platformAccount.count({ where: { userId: benId } }),
    });
    const benBefore = await benRows();
    expect(benBefore.saved).toBe(1);

    const [ask] = await say(ana(), '/forget');
    expect(replyText([ask!])).toContain('Delete everything I store about you?');
    expect(replyText([ask!])).toContain('1 saved item, 2 review cards');
    const button = ask!.buttons!.flat()[0]!;
    expect(button.label).toBe('Yes, delete everything');
    expect(decodeAction(button.data)).toEqual({ kind: 'forget', userId: anaId });
    expect(await t.prisma.user.count({ where: { id: anaId } })).toBe(1); // asking deleted nothing

    const stolen = await t.frontDoor.action(ben(group), button.data);
    expect(replyText(stolen)).toContain('Only the learner who asked to be forgotten');
    expect(await t.prisma.user.count({ where: { id: anaId } })).toBe(1);

    const [done] = await t.frontDoor.action(ana(), button.data);
    expect(done!.replaceOrigin).toBe(true);
    expect(replyText([done!])).toMatch(/I deleted your profile, 1 platform account, 1 saved item, 2 review cards/);

    expect(await t.prisma.user.count({ where: { id: anaId } })).toBe(0);
    for (const count of [
      t.prisma.platformAccount.count({ where: { userId: anaId } }),
      t.prisma.savedContent.count({ where: { userId: anaId } }),
      t.prisma.reviewCard.count({ where: { userId: anaId } }),
      t.prisma.activityLog.count({ where: { userId: anaId } }),
      t.prisma.generation.count({ where: { userId: anaId } }),
      t.prisma.feedback.count({ where: { userId: anaId } }),
      t.prisma.curriculum.count({ where: { userId: anaId } }),
      t.prisma.exerciseAttempt.count({ where: { userId: anaId } }),
      t.prisma.dailyUsage.count({ where: { userId: anaId } }),
      t.prisma.simulationSession.count({ where: { startedById: anaId } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await benRows()).toEqual(benBefore);
    // The role-play Ana started and Ben spoke in is Ben's now: his turn stays, hers and her summary entry go.
    const [shared] = await t.prisma.simulationSession.findMany({ include: { turns: true } });
    expect(shared).toMatchObject({ startedById: benId, status: 'ended' });
    expect(shared!.turns.map((turn) => turn.text)).toContain('Yo quiero un secreto de Ben');
    expect(shared!.turns.filter((turn) => turn.role === 'learner').map((turn) => turn.userId)).toEqual([benId]);
    expect(shared!.summary).toEqual([expect.objectContaining({ userId: benId, name: 'Ben', turns: 1 })]);
    expect(await t.prisma.simulationParticipant.count({ where: { userId: anaId } })).toBe(0);
    // Ben's rating of Ana's flashcards stays, no longer pointing at the deleted content.
    const benFeedback = await t.prisma.feedback.findMany({ where: { userId: benId } });
    expect(benFeedback).toEqual([expect.objectContaining({ rating: 2, relatedGenerationId: null, relatedLogId: null, pendingLogId: null })]);

    // The button is spent; the next message makes a fresh learner.
    expect(replyText(await t.frontDoor.action(ana(), button.data))).toContain('Only the learner who asked');
    const fresh = await learnerId(t, ana());
    expect(fresh).not.toBe(anaId);
    expect(replyText(await say(ana(), '/saved'))).toContain('You have not saved anything yet');
  });

  it.skipIf(Boolean(skip))(title('forgetting the starter of a running group role-play leaves it to the others'), async () => {
    db = await create();
    t = await createTestCore({ database: db });
    await say(ana(group), '/simulate at the market');
    await say(ana(group), 'Hola, busco tomates');
    await say(ben(group), 'Yo también quiero tomates');
    const benId = await learnerId(t, ben());
    const [ask] = await say(ana(), '/forget');
    expect(replyText([ask!])).toContain('0 role-plays you started (role-plays shared with others stay with them'); // not hers alone to delete
    expect(replyText(await say(ana(), '/forget confirm'))).toMatch(/deleted/i);

    // Ben carries on in the same session, and the summary is his alone.
    expect(replyText(await say(ben(group), 'Cuánto cuestan?'))).not.toMatch(/no role-play|not running/i);
    const summary = replyText(await say(ben(group), '/end'));
    expect(summary).toContain('Ben');
    expect(summary).not.toContain('Ana');
    const session = await t.prisma.simulationSession.findFirstOrThrow({ include: { turns: { where: { role: 'learner' } } } });
    expect(session).toMatchObject({ startedById: benId, status: 'ended' });
    expect(session.turns.map((turn) => turn.text)).toEqual(['Yo también quiero tomates', 'Cuánto cuestan?']);
  });

  it.skipIf(Boolean(skip))(title('/forget confirm deletes at once; other words are refused'), async () => {
    db = await create();
    t = await createTestCore({ database: db });
    await say(ana(), '/flashcards kitchen count:2');
    await say(ana(), '/save');
    const anaId = await learnerId(t, ana());
    expect(replyText(await say(ana(), '/forget please'))).toContain('confirm must be one of: confirm');
    expect(await t.prisma.user.count({ where: { id: anaId } })).toBe(1);
    expect(replyText(await say(ana(), '/forget confirm'))).toContain('1 saved item, 2 review cards');
    expect(await t.prisma.user.count({ where: { id: anaId } })).toBe(0);
    expect(await t.prisma.savedContent.count()).toBe(0);
  });
});
