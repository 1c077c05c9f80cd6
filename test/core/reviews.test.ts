// Spaced repetition through the chat: saved flashcards join the deck, /review shows due cards front first,
// grades are scheduled exactly as ts-fsrs schedules them, and every review is logged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmptyCard, fsrs, type Grade } from 'ts-fsrs';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { decodeAction } from '../../src/core/actions.ts';
import type { Reply } from '../../src/core/types.ts';
import { startOfNextLocalDay } from '../../src/core/time.ts';

let now = new Date('2026-03-01T09:00:00Z');
let t: TestCore;
beforeEach(async () => {
  now = new Date('2026-03-01T09:00:00Z');
  t = await createTestCore({ clock: () => now });
});
afterEach(async () => {
  await t.close();
});

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
const say = async (text: string) => (await t.frontDoor.text(ana(), text, { addressed: true }))!;
const press = async (reply: Reply, label: RegExp) => {
  const button = reply.buttons!.flat().find((b) => label.test(b.label))!;
  expect(button, `button ${label}`).toBeDefined();
  return t.frontDoor.action(ana(), button.data);
};

describe('reviews', () => {
  it('saving 10 flashcards puts 10 cards in the deck; /review shows front, then back with intervals', async () => {
    await say('/flashcards kitchen count:10');
    expect(replyText(await say('/save'))).toContain('Cards added to your review deck: 10');
    expect(await t.prisma.reviewCard.count()).toBe(10);
    const [front] = await say('/review');
    expect(replyText([front!])).toContain('el cuchillo');
    expect(replyText([front!])).not.toContain('the knife');
    expect(replyText([front!])).toContain('Cards due: 10');
    const [back] = await press(front!, /Show answer/);
    expect(replyText([back!])).toContain('the knife');
    const labels = back!.buttons!.flat().map((b) => b.label);
    expect(labels).toEqual([expect.stringMatching(/^Again · \d+m$/), expect.stringMatching(/^Hard · /), expect.stringMatching(/^Good · /), expect.stringMatching(/^Easy · \d+d$/)]);
  });

  it('intervals after a scripted review sequence match ts-fsrs', async () => {
    await say('/settings retention:85');
    await say('/flashcards kitchen count:1');
    await say('/save');
    const grades: Grade[] = [3, 3, 1, 3, 4, 2];
    const scheduler = fsrs({ request_retention: 0.85, enable_fuzz: false });
    let expected = createEmptyCard(now);
    for (const grade of grades) {
      const [front] = await say('/review');
      const cardId = decodeAction(front!.buttons![0]![0]!.data) as { cardId: number };
      const [back] = await t.frontDoor.action(ana(), front!.buttons![0]![0]!.data);
      const gradeButton = back!.buttons!.flat()[grade - 1]!;
      await t.frontDoor.action(ana(), gradeButton.data);
      expected = scheduler.next(expected, now, grade).card;
      const stored = await t.prisma.reviewCard.findUniqueOrThrow({ where: { id: cardId.cardId } });
      expect(stored.due.getTime()).toBe(expected.due.getTime());
      expect(stored.stability).toBeCloseTo(expected.stability, 10);
      expect(stored.reps).toBe(expected.reps);
      now = new Date(expected.due.getTime() + 60_000); // come back just after it is due
    }
    const logs = await t.prisma.reviewLog.findMany({ orderBy: { id: 'asc' } });
    expect(logs.map((l) => l.rating)).toEqual(grades);
  });

  it('nothing due: says so; a wrong exercise answer can become a card', async () => {
    expect(replyText(await say('/review'))).toMatch(/deck is empty/);
    const replies = await say('/exercises verbs count:1');
    const wrong = replies[1]!.buttons!.flat()[1]!;
    const [verdict] = await t.frontDoor.action(ana(), wrong.data);
    const added = await press(verdict!, /Add to my review deck/);
    expect(replyText(added)).toContain('Added');
    expect(await t.prisma.reviewCard.count()).toBe(1);
    const other = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    const stolen = await t.frontDoor.action(other, verdict!.buttons![0]![0]!.data);
    expect(replyText(stolen)).toMatch(/not available/);
  });

  it("another learner's card cannot be graded", async () => {
    await say('/flashcards kitchen count:1');
    await say('/save');
    const [front] = await say('/review');
    const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
    const [back] = await t.frontDoor.action(ana(), front!.buttons![0]![0]!.data);
    const reply = await t.frontDoor.action(ben, back!.buttons!.flat()[2]!.data);
    expect(replyText(reply)).toMatch(/not in your deck/);
    expect(await t.prisma.reviewLog.count()).toBe(0);
  });
});

describe('local days', () => {
  it('the next local day starts at local midnight in each time zone', () => {
    const at = new Date('2026-03-01T23:30:00Z');
    expect(startOfNextLocalDay(at, 'UTC').toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(startOfNextLocalDay(at, 'Europe/Madrid').toISOString()).toBe('2026-03-02T23:00:00.000Z'); // already the 2nd there
    expect(startOfNextLocalDay(at, 'America/New_York').toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(startOfNextLocalDay(at, 'Asia/Kolkata').toISOString()).toBe('2026-03-02T18:30:00.000Z');
  });

  it('cards due today depend on the learner time zone', async () => {
    await say('/flashcards kitchen count:2');
    await say('/save');
    const due = new Date('2026-03-02T03:00:00Z'); // 04:00 in Madrid, 22:00 the day before in New York
    await t.prisma.reviewCard.updateMany({ data: { due } });
    now = new Date('2026-03-01T20:00:00Z');
    const learner = (await t.core.services.learners.find(ana().user))!;
    expect(await t.core.services.reviews.dueToday({ ...learner, timezone: 'America/New_York' })).toBe(2);
    expect(await t.core.services.reviews.dueToday({ ...learner, timezone: 'Europe/Madrid' })).toBe(0);
    expect(await t.core.services.reviews.dueToday({ ...learner, timezone: 'UTC' })).toBe(0);
  });
});
