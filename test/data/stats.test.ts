// /stats through the real front door: numbers from seeded activity and review logs, counted in the
// learner's local days, and a real PNG chart of the expected size.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { learnerId, pngSize } from './helpers.ts';

// 14:00 in New York (EDT since 8 March), the learner's time zone.
const NOW = new Date('2026-03-10T18:00:00Z');
let t: TestCore;
beforeEach(async () => {
  t = await createTestCore({ clock: () => NOW });
});
afterEach(async () => {
  await t.close();
});

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
const ben = () => incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
const say = async (text: string, who = ana()) => (await t.frontDoor.text(who, text, { addressed: true }))!;

async function logActivity(userId: number, at: string[], direction: 'input' | 'output' = 'input') {
  await t.prisma.activityLog.createMany({
    data: at.map((iso) => ({ id: randomUUID(), userId, timestamp: new Date(iso), contentType: 'flashcards', direction, queryText: 'kitchen', targetLanguage: 'es' })),
  });
}

async function logReviews(userId: number, at: string[]) {
  const card = await t.prisma.reviewCard.create({ data: { userId, source: 'flashcard', front: `f-${randomUUID()}`, back: 'b', due: NOW } });
  await t.prisma.reviewLog.createMany({
    data: at.map((iso) => ({
      cardId: card.id,
      userId,
      rating: 3,
      state: 1,
      due: NOW,
      stability: 1,
      difficulty: 5,
      elapsedDays: 0,
      lastElapsedDays: 0,
      scheduledDays: 1,
      learningSteps: 0,
      review: new Date(iso),
    })),
  });
  return card;
}

describe('/stats', () => {
  it('counts requests and reviews per local day, the streak, the deck, accuracy and ratings; sends an 800×400 PNG', async () => {
    await say('/settings tz:America/New_York');
    const anaId = await learnerId(t, ana());
    const benId = await learnerId(t, ben());

    await logActivity(anaId, ['2026-03-10T13:00:00Z', '2026-03-10T14:00:00Z', '2026-03-10T15:00:00Z']); // today
    await logActivity(anaId, ['2026-03-10T02:00:00Z']); // 22:00 on the 9th in New York
    await logActivity(anaId, ['2026-03-08T12:00:00Z']);
    await logActivity(anaId, ['2026-03-05T12:00:00Z']); // after a gap: not part of the streak
    await logActivity(anaId, ['2026-01-01T12:00:00Z']); // older than 30 days
    await logActivity(anaId, ['2026-03-10T13:00:01Z'], 'output'); // outputs are not requests
    await logActivity(benId, ['2026-03-10T13:00:00Z', '2026-03-06T13:00:00Z']); // someone else
    const reviewed = await logReviews(anaId, ['2026-03-07T15:00:00Z', '2026-03-07T16:00:00Z']);

    // Deck: the reviewed card (state 0, due now), one learned and due, one learned and not due.
    await t.prisma.reviewCard.create({ data: { userId: anaId, source: 'flashcard', front: 'a', back: 'b', due: new Date('2026-03-09T00:00:00Z'), state: 2 } });
    await t.prisma.reviewCard.create({ data: { userId: anaId, source: 'flashcard', front: 'c', back: 'd', due: new Date('2026-04-01T00:00:00Z'), state: 2 } });
    await t.prisma.reviewCard.create({ data: { userId: benId, source: 'flashcard', front: 'a', back: 'b', due: NOW, state: 2 } });
    expect(reviewed.state).toBe(0);

    // Exercises: question 0 first answered wrong, then right; questions 1 and 2 right → 2 of 3.
    const generation = await t.prisma.generation.create({
      data: { userId: anaId, conversationKey: 'console:chat-ana', contentType: 'exercises', queryText: 'verbs', targetLanguage: 'es', baseLanguage: 'en', level: 'A2', content: {} },
    });
    const attempt = (questionIndex: number, correct: boolean, userId = anaId) => ({ userId, generationId: generation.id, questionIndex, answer: 'x', correct });
    await t.prisma.exerciseAttempt.createMany({ data: [attempt(0, false), attempt(0, true), attempt(1, true), attempt(2, true), attempt(0, true, benId)] });

    // Ratings: two ratings and a text-only feedback.
    await t.prisma.feedback.createMany({
      data: [
        { userId: anaId, rating: 4, relatedGenerationId: generation.id },
        { userId: anaId, rating: 5 },
        { userId: anaId, feedbackText: 'nice' },
        { userId: benId, rating: 1 },
      ],
    });

    const replies = await say('/stats');
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply!.attachment).toMatchObject({ filename: 'stats.png', mimeType: 'image/png' });
    expect(pngSize(reply!.attachment!.data)).toEqual({ width: 800, height: 400 });

    const text = replyText(replies);
    expect(text).toContain('Last 30 days: active on 5 days, 6 requests, 2 reviews.');
    expect(text).toContain('Streak (days in a row with practice): 4');
    expect(text).toContain('Review deck: 2 due now, 2 learned, 3 cards in all.');
    expect(text).toContain('Exercises: 2 of 3 first answers right (67%).');
    expect(text).toContain('Ratings given: 2');

    const stats = await t.core.services.stats.forLearner({ id: anaId, timezone: 'America/New_York' });
    expect(stats.days).toHaveLength(30);
    const day = (date: string) => stats.days.find((d) => d.date === date);
    expect(stats.days.at(-1)).toEqual({ date: '2026-03-10', requests: 3, reviews: 0 });
    expect(day('2026-03-09')).toEqual({ date: '2026-03-09', requests: 1, reviews: 0 });
    expect(day('2026-03-07')).toEqual({ date: '2026-03-07', requests: 0, reviews: 2 });
    expect(day('2026-03-06')).toEqual({ date: '2026-03-06', requests: 0, reviews: 0 });
    expect(stats.days[0]!.date).toBe('2026-02-09');
    // In UTC the late entry on the 9th belongs to the 10th.
    const utc = await t.core.services.stats.forLearner({ id: anaId, timezone: null });
    expect(utc.days.at(-1)!.requests).toBe(4);
  });

  it('a streak longer than the chart is counted in full; a streak that ended yesterday still counts', async () => {
    const anaId = await learnerId(t, ana());
    // 70 days of reviews ending yesterday (UTC), none today yet.
    const days = Array.from({ length: 70 }, (_, i) => new Date(Date.UTC(2026, 2, 9 - i, 12)).toISOString());
    await logReviews(anaId, days);
    const stats = await t.core.services.stats.forLearner({ id: anaId, timezone: null });
    expect(stats.streak).toBe(70);
    expect(stats.days.at(-1)!.reviews).toBe(0);
    expect(stats.days.at(-2)!.reviews).toBe(1);
  });

  it('a new learner gets zeros and still a chart', async () => {
    const replies = await say('/stats');
    expect(pngSize(replies[0]!.attachment!.data)).toEqual({ width: 800, height: 400 });
    const text = replyText(replies);
    expect(text).toContain('Streak (days in a row with practice): 0');
    expect(text).toContain('Exercises: none answered yet.');
  });
});
