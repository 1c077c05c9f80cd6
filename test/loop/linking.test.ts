// Account linking end to end: a terminal learner makes a code, a Telegram learner redeems it, and afterwards
// both platform accounts are one learner with every row of both (decks merged, usage summed, settings filled).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import type { Incoming } from '../../src/commands/front-door.ts';
import type { Reply } from '../../src/core/types.ts';
import { testClock, type TestClock } from './helpers.ts';

describe.each(PROVIDERS)('account linking on $name', ({ name, create, skip }) => {
  let database: TestDatabase;
  let clock: TestClock;
  let t: TestCore;

  beforeEach(async () => {
    if (skip) return;
    clock = testClock('2026-03-01T09:00:00Z');
    database = await create();
    t = await createTestCore({ database, clock });
  });
  afterEach(async () => {
    if (skip) return;
    await t.close();
    await database.drop();
  });

  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : `${what} (${name})`);
  const terminal = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
  const telegram = () => incomingFrom(t.logger, { id: '1001', name: 'Ana T' }, { platform: 'telegram', id: '1001' });
  const discord = () => incomingFrom(t.logger, { id: '777', name: 'Ana D' }, { platform: 'discord', id: 'dm-777' });
  const run = async (who: Incoming, text: string) => (await t.frontDoor.text(who, text, { addressed: true }))!;
  const say = async (who: Incoming, text: string) => replyText(await run(who, text));
  const press = async (who: Incoming, reply: Reply, index: number) => t.frontDoor.action(who, reply.buttons!.flat()[index]!.data);
  const newCode = async (who: Incoming) => /link code: ([A-Z0-9]{8})/.exec(await say(who, '/link'))![1]!;
  const learnerOf = async (who: Incoming) => (await t.core.services.learners.find(who.user))?.id;

  it.skipIf(Boolean(skip))(title('Telegram and terminal learners become one, with all their rows'), async () => {
    // The terminal learner (who will make the code): settings, 3 saved flashcards in the deck.
    await say(terminal(), '/settings lang:es level:A2');
    await say(terminal(), '/flashcards kitchen count:3');
    await say(terminal(), '/save');
    // The Telegram learner: other settings, 5 flashcards (3 the same), one reviewed, an exercise answer, a reminder.
    await say(telegram(), '/settings lang:fr level:B2 tz:Europe/Madrid');
    // lang:es: the fake model writes Spanish, which the wrong-language check refuses for a French set.
    await say(telegram(), '/flashcards kitchen count:5 lang:es');
    await say(telegram(), '/save');
    const [front] = await run(telegram(), '/review');
    const [back] = await press(telegram(), front!, 0);
    await press(telegram(), back!, 2); // Good: el cuchillo now has 1 rep on Telegram
    const exercise = await run(telegram(), '/exercises verbs count:1 lang:es');
    await press(telegram(), exercise[1]!, 0);
    await say(telegram(), '/remind 9');
    await t.core.activityLog.flush();

    const kept = (await learnerOf(terminal()))!;
    const other = (await learnerOf(telegram()))!;
    const before = {
      saved: await t.prisma.savedContent.count(),
      activities: await t.prisma.activityLog.count(),
      generations: await t.prisma.generation.count(),
      attempts: await t.prisma.exerciseAttempt.count(),
      llmCalls: (await t.prisma.dailyUsage.aggregate({ _sum: { llmCalls: true } }))._sum.llmCalls,
      usageDays: (await t.prisma.dailyUsage.findMany({ distinct: ['day'], select: { day: true } })).length,
    };
    expect(await t.prisma.reviewCard.count()).toBe(8);
    expect(before.attempts).toBe(1);

    const code = await newCode(terminal());
    const reply = await say(telegram(), `/link ${code.toLowerCase().replace(/^(....)/, '$1-')}`); // forgiving about case and dashes
    expect(reply).toMatch(/Linked!.*console, telegram/);
    expect(reply).toContain('1 saved item, 3 review cards, 1 review, 1 exercise answer');
    expect(reply).toContain('3 cards were in both decks');
    expect(reply).toContain('are kept: learning Spanish, level A2, time zone Europe/Madrid');
    expect(reply).toMatch(/this account, where the other had none: time zone, daily reminder/);

    // Both platform accounts resolve to the learner who made the code; the other learner is gone.
    expect(await learnerOf(telegram())).toBe(kept);
    expect(await learnerOf(terminal())).toBe(kept);
    expect(await t.prisma.user.count()).toBe(1);
    expect(await t.prisma.user.count({ where: { id: other } })).toBe(0);
    // Every row moved.
    expect(await t.prisma.savedContent.count({ where: { userId: kept } })).toBe(before.saved);
    expect(await t.prisma.activityLog.count({ where: { userId: kept } })).toBe(before.activities);
    expect(await t.prisma.generation.count({ where: { userId: kept } })).toBe(before.generations);
    expect(await t.prisma.exerciseAttempt.count({ where: { userId: kept } })).toBe(1);
    const usage = await t.prisma.dailyUsage.findMany();
    expect(usage.every((u) => u.userId === kept)).toBe(true);
    expect(usage).toHaveLength(before.usageDays); // one row per day, summed
    expect(usage.reduce((sum, u) => sum + u.llmCalls, 0)).toBe(before.llmCalls);
    // The deck: 5 distinct cards; the reviewed Telegram copy of "el cuchillo" won, with its review log.
    const cards = await t.prisma.reviewCard.findMany({ where: { userId: kept }, orderBy: { front: 'asc' } });
    expect(cards.map((c) => c.front).sort()).toEqual(['el cuchillo', 'el horno', 'la cuchara', 'la olla', 'la sartén']);
    expect(await t.prisma.reviewCard.count()).toBe(5);
    const knife = cards.find((c) => c.front === 'el cuchillo')!;
    expect(knife.reps).toBe(1);
    const logs = await t.prisma.reviewLog.findMany();
    expect(logs.map((l) => [l.cardId, l.userId])).toEqual([[knife.id, kept]]);
    // Settings: the code maker's won; the empty ones were filled from the Telegram learner.
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: kept } });
    expect(user).toMatchObject({ defaultTargetLanguage: 'es', level: 'A2', timezone: 'Europe/Madrid', reminderHour: 9, reminderPlatform: 'telegram', reminderChatId: '1001' });
    // The merged learner keeps working on both platforms.
    expect(await say(telegram(), '/review')).toContain('Cards due: 4'); // the reviewed card is not due yet
    await t.core.activityLog.flush();
    expect(t.logs.filter((l) => String(l.msg).includes('batch write failed'))).toEqual([]);
  });

  it.skipIf(Boolean(skip))(title('an expired code is refused and nothing changes'), async () => {
    const code = await newCode(terminal());
    await say(telegram(), '/start');
    clock.advance(11 * 60_000);
    expect(await say(telegram(), `/link ${code}`)).toMatch(/code has expired/);
    expect(await t.prisma.user.count()).toBe(2);
    expect(await learnerOf(telegram())).not.toBe(await learnerOf(terminal()));
  });

  it.skipIf(Boolean(skip))(title('a code works once; own code and replaced codes are refused'), async () => {
    const first = await newCode(terminal());
    const code = await newCode(terminal()); // one active code per learner: the first stops working
    expect(await say(telegram(), `/link ${first}`)).toMatch(/code is not valid/);
    expect(await say(terminal(), `/link ${code}`)).toMatch(/belongs to this account/);
    expect(await say(telegram(), `/link ${code}`)).toMatch(/Linked!/);
    expect(await say(discord(), `/link ${code}`)).toMatch(/code is not valid/);
    expect(await t.prisma.user.count()).toBe(2); // the linked learner and the Discord one
    expect(await learnerOf(discord())).not.toBe(await learnerOf(terminal()));
    expect(await t.prisma.linkCode.count()).toBe(0);
  });

  it.skipIf(Boolean(skip))(title('guessing is limited to 5 wrong codes per 10 minutes per account'), async () => {
    for (let i = 0; i < 5; i += 1) expect(await say(telegram(), '/link AAAA2222')).toMatch(/not valid/);
    const code = await newCode(terminal());
    expect(await say(telegram(), `/link ${code}`)).toMatch(/Too many wrong codes. Please wait 10 minutes/);
    expect(await say(discord(), `/link ${code}`)).toMatch(/Linked!/); // other accounts are not affected
    clock.advance(10 * 60_000 + 1_000);
    const fresh = await newCode(terminal());
    expect(await say(telegram(), `/link ${fresh}`)).toMatch(/Linked!/);
    expect(await t.prisma.user.count()).toBe(1);
  });

  it.skipIf(Boolean(skip))(title('linking is refused in group chats'), async () => {
    const inGroup = incomingFrom(t.logger, { id: '1001' }, { platform: 'telegram', id: 'group', isGroup: true });
    expect(replyText(await t.frontDoor.text(inGroup, '/link', { addressed: true }))).toMatch(/private chat/);
    expect(await t.prisma.linkCode.count()).toBe(0);
  });

  it.skipIf(Boolean(skip))(title('a code made in another bot process links too'), async () => {
    const other = await createTestCore({ database, clock });
    try {
      const code = /link code: ([A-Z0-9]{8})/.exec(replyText(await other.frontDoor.text(terminal(), '/link', { addressed: true })))![1]!;
      expect(await say(telegram(), `/link ${code}`)).toMatch(/Linked!/);
    } finally {
      await other.close();
    }
  });
});
