// A learner deletes everything while the model is still working on their request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

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
  t.openai!.setLatency(400);
  const pending = t.frontDoor.text(ana, '/flashcards fruit count:2', { addressed: true });
  await new Promise((r) => setTimeout(r, 100));
  t.openai!.setLatency(0);
  expect(replyText(await t.frontDoor.text(ana, '/forget confirm', { addressed: true }))).toMatch(/deleted/i);
  const late = replyText(await pending);
  expect(late).toMatch(/Your data was deleted while this was being prepared/);
  expect(late).not.toMatch(/Something went wrong/);
  expect(await t.prisma.user.count()).toBe(0);
  expect(await t.prisma.generation.count()).toBe(0);
});
