// The statements every command makes are hand-written SQL (generation, remembered message, quota reservation,
// the deck read for personalisation): what they store must read back through Prisma exactly as Prisma's own
// create/upsert would have stored it, what they read must equal Prisma's findMany, on SQLite and on
// PostgreSQL, and a learner deleted meanwhile must still read as "gone".
import { describe, expect, it } from 'vitest';
import { isRecordGone } from '../../src/core/db/errors.ts';
import { DailyUsageRepository } from '../../src/core/repositories/daily-usage-repository.ts';
import { GenerationRepository, type NewGeneration } from '../../src/core/repositories/generation-repository.ts';
import { LearnerMaterialRepository } from '../../src/core/repositories/learner-material-repository.ts';
import { PlatformMessageRepository } from '../../src/core/repositories/platform-message-repository.ts';
import { PROVIDERS } from '../support/databases.ts';
import { databasePerTest } from '../support/database-per-test.ts';

const content = {
  cards: [
    { front: 'el cuchillo', back: 'the knife', example: '¿Dónde está el cuchillo? "Aquí" — dijo.\nOtra línea', weight: 1.5, tags: ['cocina', null], ok: true },
    { front: '包丁', back: 'knife 🔪', example: 'lone surrogate: \ud800 end' },
  ],
};

describe.each(PROVIDERS)('hot writes on $name', ({ name, create, skip }) => {
  const { open } = databasePerTest(create);
  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : what);
  const generationOf = (userId: number): NewGeneration => ({
    userId,
    conversationKey: 'telegram:1',
    contentType: 'flashcards',
    queryText: 'kitchen words',
    targetLanguage: 'es',
    baseLanguage: 'en',
    level: 'A2',
    content,
    outputLogId: 'log-1',
    promptVersion: 'p1',
    model: 'fake-model',
  });

  it.skipIf(Boolean(skip))(title(`a generation reads back as Prisma stores one (${name})`), async () => {
    const { prisma, sql, provider } = await open();
    const user = await prisma.user.create({ data: { displayName: 'Ana' } });
    const before = Date.now();
    const { id } = await new GenerationRepository(prisma, sql, provider).create(generationOf(user.id));
    const row = await prisma.generation.findUniqueOrThrow({ where: { id } });
    // PostgreSQL keeps the lone surrogate as U+FFFD (Prisma's own create refuses that content there: "invalid
    // input syntax for type json"); SQLite keeps it as it came.
    const stored = name === 'postgresql' ? JSON.parse(JSON.stringify(content).replace('\\ud800', '\ufffd')) : content;
    // Prisma's own write of the same generation, for comparison.
    const reference = await prisma.generation.create({ data: { ...generationOf(user.id), content: stored } });
    const { id: _a, createdAt, ...fields } = row;
    const { id: _b, createdAt: referenceCreatedAt, ...referenceFields } = reference;
    expect(fields.content).toEqual(stored);
    expect({ ...fields, content: undefined }).toEqual({ ...referenceFields, content: undefined });
    expect(createdAt).toBeInstanceOf(Date);
    expect(createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(createdAt.getTime()).toBeLessThanOrEqual(referenceCreatedAt.getTime());
    // Ordered by time with Prisma's rows (the same text format on SQLite, where it is compared as text).
    const newest = await prisma.generation.findFirstOrThrow({ where: { userId: user.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    expect(newest.id).toBe(reference.id);
  });

  it.skipIf(Boolean(skip))(title(`a remembered message is created, then relinked (${name})`), async () => {
    const { prisma, sql, provider } = await open();
    const user = await prisma.user.create({ data: { displayName: 'Ana' } });
    const { id: generationId } = await new GenerationRepository(prisma, sql, provider).create(generationOf(user.id));
    const messages = new PlatformMessageRepository(prisma, sql, provider);
    const ref = { platform: 'telegram', chatId: '-100', messageId: '7' } as const;
    await messages.remember(ref, { generationId });
    expect(await messages.find(ref)).toMatchObject({ ...ref, generationId, simulationSessionId: null, createdAt: expect.any(Date) });
    await messages.remember(ref, {});
    expect(await messages.find(ref)).toMatchObject({ generationId: null });
    expect(await prisma.platformMessage.count()).toBe(1);
  });

  it.skipIf(Boolean(skip))(title(`quota reservations count calls and carry the waiting tokens (${name})`), async () => {
    const { prisma, sql, provider } = await open();
    const user = await prisma.user.create({ data: { displayName: 'Ana' } });
    const usage = new DailyUsageRepository(prisma, sql);
    expect(await usage.reserveCall(user.id, '2026-12-01')).toBe(1);
    await usage.addTokens(user.id, '2026-12-01', 120);
    expect(await usage.reserveCall(user.id, '2026-12-01')).toBe(2);
    expect(await usage.reserveCall(user.id, '2026-12-02')).toBe(1);
    expect(await prisma.dailyUsage.findMany({ orderBy: { day: 'asc' } })).toEqual([
      { userId: user.id, day: '2026-12-01', llmCalls: 2, tokens: 120, audioSeconds: 0 },
      { userId: user.id, day: '2026-12-02', llmCalls: 1, tokens: 0, audioSeconds: 0 },
    ]);
  });

  it.skipIf(Boolean(skip))(title(`writes for a deleted learner fail as "record gone" (${name})`), async () => {
    const { prisma, sql, provider } = await open();
    const gone = 987_654;
    const failure = await new GenerationRepository(prisma, sql, provider).create(generationOf(gone)).catch((e: unknown) => e);
    expect(isRecordGone(failure)).toBe(true);
    const reservation = await new DailyUsageRepository(prisma, sql).reserveCall(gone, '2026-12-01').catch((e: unknown) => e);
    expect(isRecordGone(reservation)).toBe(true);
  });

  it.skipIf(Boolean(skip))(title(`the deck read equals Prisma's findMany, newest first (${name})`), async () => {
    const { prisma, sql, provider } = await open();
    const user = await prisma.user.create({ data: { displayName: 'Ana' } });
    const due = new Date('2026-12-01T08:00:00.000Z');
    await prisma.reviewCard.create({ data: { userId: user.id, source: 'flashcards', front: 'la cebolla', back: 'the onion', example: null, targetLanguage: 'es', due } });
    await prisma.reviewCard.create({
      data: { userId: user.id, source: 'exercise', front: 'el ajo', back: 'garlic', example: 'Me gusta el ajo.', targetLanguage: 'es', due, stability: 0.4375, reps: 3, lapses: 2, state: 3, lastReview: new Date('2026-11-30T21:15:42.123Z') },
    });
    await prisma.reviewCard.create({ data: { userId: user.id, source: 'flashcards', front: 'le couteau', back: 'the knife', targetLanguage: 'fr', due } });
    const select = { front: true, back: true, example: true, source: true, reps: true, lapses: true, stability: true, state: true, lastReview: true } as const;
    const expected = await prisma.reviewCard.findMany({ where: { userId: user.id, targetLanguage: 'es' }, orderBy: { id: 'desc' }, take: 10, select });
    const material = new LearnerMaterialRepository(sql);
    expect(await material.cardsInLanguage(user.id, 'es', 10)).toEqual(expected);
    expect(expected.map((c) => c.front)).toEqual(['el ajo', 'la cebolla']);
    expect(await material.cardsInLanguage(user.id, 'es', 1)).toEqual(expected.slice(0, 1));
    // After the client disconnected, the next statement connects again (as the client's own queries do).
    await prisma.$disconnect();
    expect(await material.cardsInLanguage(user.id, 'fr', 10)).toHaveLength(1);
  });
  it.skipIf(Boolean(skip))(title(`the deck's fingerprint changes with every change personalisation would see, and only then (${name})`), async () => {
    const { prisma, sql } = await open();
    const [ana, ben] = [await prisma.user.create({ data: { displayName: 'Ana' } }), await prisma.user.create({ data: { displayName: 'Ben' } })];
    const material = new LearnerMaterialRepository(sql);
    const due = new Date('2026-12-01T08:00:00.000Z');
    const fingerprints: string[] = [];
    const note = async () => fingerprints.push(await material.deckFingerprint(ana.id, 'es'));
    await note(); // no cards
    const onion = await prisma.reviewCard.create({ data: { userId: ana.id, source: 'flashcards', front: 'la cebolla', back: 'the onion', targetLanguage: 'es', due } });
    await note(); // added
    await prisma.reviewCard.create({ data: { userId: ana.id, source: 'flashcards', front: 'le couteau', back: 'the knife', targetLanguage: 'fr', due } });
    await prisma.user.update({ where: { id: ana.id }, data: { displayName: 'Ana M.' } });
    await note(); // another language and the learner's name: unchanged
    await prisma.reviewCard.update({ where: { id: onion.id }, data: { reps: 1, lapses: 1, state: 3, lastReview: new Date('2026-12-01T09:00:00.000Z') } });
    await note(); // reviewed
    await prisma.reviewCard.update({ where: { id: onion.id }, data: { reps: 2, lapses: 2, stability: 0.2 } });
    await note(); // reviewed again within the same clock reading (same last_review)
    const garlic = await prisma.reviewCard.create({ data: { userId: ben.id, source: 'flashcards', front: 'el ajo', back: 'garlic', targetLanguage: 'es', due } });
    await prisma.reviewCard.update({ where: { id: garlic.id }, data: { userId: ana.id } });
    await note(); // moved in (as /link does)
    await prisma.reviewCard.update({ where: { id: garlic.id }, data: { userId: ben.id } });
    await note(); // moved out again
    await prisma.reviewCard.delete({ where: { id: onion.id } });
    await note(); // deleted: none left in Spanish
    expect(fingerprints[0]).toBe('');
    expect(fingerprints[2]).toBe(fingerprints[1]);
    expect(fingerprints[6]).toBe(fingerprints[4]);
    expect(new Set([fingerprints[1], fingerprints[3], fingerprints[4], fingerprints[5]]).size).toBe(4);
    expect(fingerprints[7]).toBe('');
  });
});
