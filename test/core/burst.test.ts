// Many learners writing in the same instant (a busy server after a restart) must all be answered.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ env: { LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await t.close();
});

it('600 first messages in one tick are all answered (no database error)', async () => {
  const replies = await Promise.all(
    Array.from({ length: 600 }, (_, i) => t.frontDoor.text(incomingFrom(t.logger, { id: `learner-${i}` }), '/settings', { addressed: true })),
  );
  const failed = replies.filter((r) => !replyText(r).includes('Your settings'));
  expect(failed).toHaveLength(0);
  // Each learner was created once, on first contact.
  expect(await t.prisma.user.count()).toBe(600);
  expect(await t.prisma.platformAccount.count()).toBe(600);
});

it('a burst of first messages reaches the database 32 upserts at a time, in arrival order, and all are created', async () => {
  // The real repository on the test database, observed: how many upserts are in flight at once.
  const { LearnerService } = await import('../../src/core/services/learners.ts');
  const { UserRepository } = await import('../../src/core/repositories/user-repository.ts');
  const real = new UserRepository(t.prisma, t.core.database.sql);
  let inFlight = 0;
  let most = 0;
  const started: string[] = [];
  const observed = Object.create(real) as typeof real;
  observed.upsertByPlatformAccount = async (...args: Parameters<typeof real.upsertByPlatformAccount>) => {
    started.push(args[1]);
    most = Math.max(most, ++inFlight);
    try {
      return await real.upsertByPlatformAccount(...args);
    } finally {
      inFlight--;
    }
  };
  const learners = new LearnerService(observed, { baseLanguage: 'en', targetLanguage: 'es', level: 'A2' }, 10_000);
  const ids = Array.from({ length: 300 }, (_, i) => `gated-${i}`);
  const resolved = await Promise.all(ids.map((id) => learners.resolve({ platform: 'telegram', externalId: id, displayName: id, locale: 'en' })));
  expect(most).toBe(32);
  expect(started).toEqual(ids);
  expect(new Set(resolved.map((l) => l.id)).size).toBe(300);
  expect(await t.prisma.platformAccount.count({ where: { externalId: { startsWith: 'gated-' } } })).toBe(300);
});
