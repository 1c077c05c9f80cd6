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
