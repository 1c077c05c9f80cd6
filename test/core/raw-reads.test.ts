// The reads the repositories send as hand-written SQL (src/core/db/raw-sql.ts) return what the Prisma client
// would, on both providers; and the hand-written statements can run before the client connects, on the one
// connection the client then takes (what lets start-up skip loading the client's query compiler).
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FeedbackRepository } from '../../src/core/repositories/feedback-repository.ts';
import { UserRepository } from '../../src/core/repositories/user-repository.ts';
import { PROVIDERS } from '../support/databases.ts';
import { databasePerTest } from '../support/database-per-test.ts';

describe.each(PROVIDERS)('hand-written reads on $name', ({ name, create, skip }) => {
  const { open, url } = databasePerTest(create);
  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : what);

  it.skipIf(Boolean(skip))(title(`a learner read by account equals Prisma's, every field, set or default (${name})`), async () => {
    const { prisma, sql } = await open();
    const users = new UserRepository(prisma, sql);
    await prisma.user.create({ data: { displayName: 'Plain', accounts: { create: { platform: 'telegram', externalId: '1' } } } });
    await prisma.user.create({
      data: {
        displayName: 'Zoë "Ñ" 🦊',
        email: 'zoe@example.org',
        defaultTargetLanguage: 'es',
        defaultBaseLanguage: 'de',
        level: 'B1',
        correctionsEnabled: false,
        timezone: 'Europe/Madrid',
        desiredRetention: 0.85,
        reminderHour: 7,
        reminderPlatform: 'discord',
        reminderChatId: '99',
        reminderLastSentOn: '2026-12-01',
        practiceWeak: false,
        levelProposal: 'es:A2>B1',
        voiceReplies: true,
        lastSeenAt: new Date('2026-11-30T10:11:12.345Z'),
        accounts: { create: [{ platform: 'discord', externalId: '2' }, { platform: 'console', externalId: 'me' }] },
      },
    });
    for (const [platform, externalId] of [['telegram', '1'], ['discord', '2'], ['console', 'me']] as const) {
      const reference = (await prisma.platformAccount.findFirstOrThrow({ where: { platform, externalId }, include: { user: true } })).user;
      expect(await users.findByPlatformAccount(platform, externalId)).toStrictEqual(reference);
    }
    expect(await users.findByPlatformAccount('telegram', '2')).toBeNull();
  });

  it.skipIf(Boolean(skip))(title(`the hand-written statements run before the client connects, on the connection it then takes (${name})`), async () => {
    const database = await open();
    const { prisma, sql } = database;
    // Before the client's first query: the start-up statements (feedback linking, the learner lookup).
    expect(await new FeedbackRepository(prisma, sql).linkAllWritten()).toBe(0);
    expect(await new UserRepository(prisma, sql).findByPlatformAccount('console', 'me')).toBeNull();
    if (name === 'sqlite') {
      // A temporary table lives in one connection: the client sees it only if it took the same one.
      await sql.execute('CREATE TEMP TABLE "seen_by" ("who" TEXT)', []);
      await sql.execute('INSERT INTO "seen_by" VALUES (?)', ['hand-written']);
      await database.warmUp();
      expect(await prisma.$queryRawUnsafe('SELECT "who" FROM "seen_by"')).toEqual([{ who: 'hand-written' }]);
    } else {
      await database.warmUp();
    }
    const user = await prisma.user.create({ data: { displayName: 'Ana', accounts: { create: { platform: 'console', externalId: 'me' } } } });
    expect((await new UserRepository(prisma, sql).findByPlatformAccount('console', 'me'))?.id).toBe(user.id);
  });

  /** Connections open to the test database: SQLite files this process holds open, PostgreSQL server sessions. */
  async function openConnections(url: string): Promise<number> {
    if (name === 'sqlite') {
      const file = url.slice('file:'.length);
      return readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false; // closed while listing
        }
      }).length;
    }
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return Number(rows[0]!.n);
    } finally {
      await admin.end();
    }
  }

  it.skipIf(Boolean(skip) || !existsSync('/proc/self/fd'))(
    title(`closing ends the connection the hand-written statements opened when the client never connected (${name})`),
    async () => {
      const database = await open();
      await database.sql.query('SELECT 1 AS "one"', []);
      expect(await openConnections(url())).toBeGreaterThan(0);
      await database.close();
      expect(await openConnections(url())).toBe(0);
      // Used again, it opens a new one, which the client then shares.
      expect(await database.sql.query('SELECT 1 AS "one"', [])).toEqual([{ one: 1 }]);
      await database.warmUp();
      expect(await database.prisma.user.count()).toBe(0);
      await database.close();
      expect(await openConnections(url())).toBe(0);
    },
  );
});
