// A learner deletes everything while the model is still working on their request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { UserFacingError } from '../../src/core/errors.ts';
import { DailyUsageRepository } from '../../src/core/repositories/daily-usage-repository.ts';
import { captureLog, cardsRequest, makeClient } from '../llm/helpers.ts';

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => {
  await t.close();
});

it('the late generation says the data is gone instead of an internal error, and keeps nothing', async () => {
  const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
  await t.frontDoor.text(ana, '/settings lang:es', { addressed: true });
  t.openai!.failNext({ delayMs: 2_000 });
  const requestsBefore = t.openai!.requests.length;
  const pending = t.frontDoor.text(ana, '/flashcards fruit count:2', { addressed: true });
  // The generation is in flight at the fake (answered only after /forget has run).
  await expect.poll(() => t.openai!.requests.length, { timeout: 10_000 }).toBeGreaterThan(requestsBefore);
  expect(replyText(await t.frontDoor.text(ana, '/forget confirm', { addressed: true }))).toMatch(/deleted/i);
  const late = replyText(await pending);
  expect(late).toMatch(/Your data was deleted while this was being prepared/);
  expect(late).not.toMatch(/Something went wrong/);
  expect(await t.prisma.user.count()).toBe(0);
  expect(await t.prisma.generation.count()).toBe(0);
});

it('a model call whose learner was deleted before its quota reservation says the data is gone, and reaches no model', async () => {
  // The row is gone between the front door's lookup and the reservation (the first write of a model call):
  // the reservation's upsert fails its foreign key, which must read as learnerGone, not as an internal error.
  const log = captureLog();
  const { client } = makeClient(t.openai!, log, { usageStore: new DailyUsageRepository(t.prisma, t.core.database.sql) });
  const requestsBefore = t.openai!.requests.length;
  try {
    const gone = await client.generate(cardsRequest(log, { userId: 987_654 })).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(UserFacingError);
    expect(gone).toMatchObject({ key: 'errors.learnerGone' });
    expect(t.openai!.requests.length).toBe(requestsBefore);
    expect(await t.prisma.dailyUsage.count()).toBe(0);
  } finally {
    await client.stop();
  }
});
