// The seeds' rules in the database itself, on SQLite and on PostgreSQL: cascades from users,
// set-null links from feedback, CHECK rules for content types and ratings, unique platform accounts.
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/core/db/migrations.ts';
import { adapterFactoryFor } from '../../src/core/db/client.ts';
import { parseDatabaseUrl } from '../../src/core/db/url.ts';
import { PROVIDERS } from '../support/databases.ts';
import { databasePerTest } from '../support/database-per-test.ts';

describe.each(PROVIDERS)('storage on $name', ({ name, create, skip }) => {
  const perTest = databasePerTest(create);
  const open = async () => (await perTest.open()).prisma;
  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : what);

  it.skipIf(Boolean(skip))(title(`migrations apply once and record themselves (${name})`), async () => {
    await open();
    const target = parseDatabaseUrl(perTest.url());
    expect(await applyMigrations(target.provider, await adapterFactoryFor(target))).toEqual([]);
  });

  // SQLite only (a PostgreSQL server keeps its own durability settings): registered for it alone, not skipped.
  if (name === 'sqlite') it(`a fresh file runs in WAL mode with synchronous=NORMAL, also after a reconnect (${name})`, async () => {
    // SQLite gives NORMAL by itself only to a connection that opens a file already in WAL mode; one opened
    // after in-process migrations stayed at FULL (an fsync per commit). $disconnect + $connect opens a new one.
    const prisma = await open();
    for (const round of ['fresh', 'reconnected']) {
      const [journal] = await prisma.$queryRawUnsafe<Array<{ journal_mode: string }>>('PRAGMA journal_mode');
      const [sync] = await prisma.$queryRawUnsafe<Array<{ synchronous: bigint | number }>>('PRAGMA synchronous');
      expect([round, journal!.journal_mode, Number(sync!.synchronous)]).toEqual([round, 'wal', 1]);
      await prisma.$disconnect();
      await prisma.$connect();
    }
  });

  it.skipIf(Boolean(skip))(title(`the seed tables exist with their names (${name})`), async () => {
    const prisma = await open();
    await prisma.user.create({ data: { displayName: 'Ana', accounts: { create: { platform: 'telegram', externalId: '42' } } } });
    const tables = name === 'sqlite'
      ? await prisma.$queryRawUnsafe<Array<{ name: string }>>("SELECT name FROM sqlite_master WHERE type = 'table'")
      : await prisma.$queryRawUnsafe<Array<{ name: string }>>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['users', 'platform_accounts', 'activity_log', 'saved_content', 'feedback', 'curricula', 'lessons', 'flashcards', 'exercises', 'simulations', 'simulation_sessions', 'simulation_participants', 'simulation_turns']),
    );
  });

  it.skipIf(Boolean(skip))(title(`one learner per platform account (${name})`), async () => {
    const prisma = await open();
    await prisma.user.create({ data: { displayName: 'Ana', accounts: { create: { platform: 'telegram', externalId: '42' } } } });
    await expect(
      prisma.user.create({ data: { displayName: 'Eve', accounts: { create: { platform: 'telegram', externalId: '42' } } } }),
    ).rejects.toThrow();
    await prisma.user.create({ data: { displayName: 'Ana on Discord', accounts: { create: { platform: 'discord', externalId: '42' } } } });
  });

  it.skipIf(Boolean(skip))(title(`CHECK rules reject bad content types and ratings (${name})`), async () => {
    const prisma = await open();
    const user = await prisma.user.create({ data: { displayName: 'Ana' } });
    await expect(
      prisma.activityLog.create({ data: { id: 'x1', userId: user.id, contentType: 'poems', direction: 'input', queryText: 'q', targetLanguage: 'es' } }),
    ).rejects.toThrow();
    await expect(
      prisma.activityLog.create({ data: { id: 'x2', userId: user.id, contentType: 'flashcards', direction: 'sideways', queryText: 'q', targetLanguage: 'es' } }),
    ).rejects.toThrow();
    await expect(prisma.feedback.create({ data: { userId: user.id, rating: 7 } })).rejects.toThrow();
    await expect(prisma.feedback.create({ data: { userId: user.id } })).rejects.toThrow();
    await prisma.feedback.create({ data: { userId: user.id, rating: 5 } });
    await expect(
      prisma.savedContent.create({ data: { userId: user.id, number: 1, contentType: 'poems', originalQuery: 'q', contentData: {} } }),
    ).rejects.toThrow();
  });

  it.skipIf(Boolean(skip))(title(`deleting a learner cascades; feedback links are set null (${name})`), async () => {
    const prisma = await open();
    const ana = await prisma.user.create({ data: { displayName: 'Ana', accounts: { create: { platform: 'console', externalId: 'ana' } } } });
    const ben = await prisma.user.create({ data: { displayName: 'Ben' } });
    await prisma.activityLog.create({ data: { id: 'log-1', userId: ana.id, contentType: 'flashcards', direction: 'output', queryText: 'q', targetLanguage: 'es' } });
    const saved = await prisma.savedContent.create({ data: { userId: ana.id, number: 1, contentType: 'flashcards', originalQuery: 'q', contentData: { cards: [] } } });
    // Ben rates Ana's logged content and saved item: Ana leaving must not delete Ben's feedback.
    const feedback = await prisma.feedback.create({ data: { userId: ben.id, rating: 4, relatedLogId: 'log-1', relatedSavedContentId: saved.id } });
    await prisma.curriculum.create({
      data: {
        id: 'c1', userId: ana.id, title: 't', description: 'd', nativeLanguage: 'en', targetLanguage: 'es', proficiency: 'A2', lessonTopic: 'x',
        lessons: { create: { id: 'l1', position: 1, subTopic: 's', description: 'd', keywords: ['a'], flashcards: { create: { id: 'f1', word: 'w', definition: 'd', example: 'e' } } } },
      },
    });
    await prisma.user.delete({ where: { id: ana.id } });
    expect(await prisma.platformAccount.count()).toBe(0);
    expect(await prisma.activityLog.count()).toBe(0);
    expect(await prisma.savedContent.count()).toBe(0);
    expect(await prisma.curriculum.count()).toBe(0);
    expect(await prisma.lesson.count()).toBe(0);
    expect(await prisma.flashcard.count()).toBe(0);
    const kept = await prisma.feedback.findUniqueOrThrow({ where: { id: feedback.id } });
    expect(kept).toMatchObject({ rating: 4, relatedLogId: null, relatedSavedContentId: null });
  });
});
