// An LLM that misbehaves gives the learner the content or a clear message within the configured time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ env: { LLM_TIMEOUT_MS: '1500', LLM_STALL_TIMEOUT_MS: '600', LLM_MAX_RETRIES: '2' } });
});
afterAll(async () => {
  await t.close();
});

const ask = async (text: string) => {
  const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
  const started = Date.now();
  const replies = await t.frontDoor.text(ana, text, { addressed: true });
  return { text: replyText(replies), replies: replies!, elapsed: Date.now() - started };
};

describe('LLM faults through the whole stack', () => {
  it('429 then 200: the learner gets the content', async () => {
    t.openai!.failNext({ status: 429, retryAfterSeconds: 0 });
    const r = await ask('/flashcards fruit count:2');
    expect(r.text).toContain('el cuchillo');
  });

  it('500 on every retry, then a clear message and no content', async () => {
    t.openai!.failNext({ status: 500 }, { status: 500 }, { status: 500 });
    const r = await ask('/flashcards fruit count:2');
    expect(r.text).toMatch(/not reachable right now/);
  });

  it('a hanging server: a clear message within the configured time', async () => {
    t.openai!.failNext({ hang: true });
    const r = await ask('/flashcards fruit count:2');
    expect(r.text).toMatch(/took too long/);
    expect(r.elapsed).toBeLessThan(15_000); // bounded, not a speed claim: without the watchdog it never ends
  });

  it('a stream that stalls after its headers: a clear message', async () => {
    t.openai!.failNext({ stallAfterFirstChunk: true });
    const r = await ask('/exercises fruit count:1');
    expect(r.text).toMatch(/took too long/);
  });

  it('invalid JSON once: repaired, the learner gets the content', async () => {
    t.openai!.failNext({ invalidJson: true });
    const r = await ask('/flashcards fruit count:2');
    expect(r.text).toContain('el cuchillo');
    const repair = t.openai!.requests.at(-1)!;
    expect(repair.messages.at(-1)!.content).toMatch(/could not be used/);
  });

  it('invalid JSON twice: a clear message', async () => {
    t.openai!.failNext({ invalidJson: true }, { invalidJson: true });
    const r = await ask('/flashcards fruit count:2');
    expect(r.text).toMatch(/could not use/);
  });

  it('JSON that breaks the schema, then valid: repaired', async () => {
    t.openai!.failNext({ breakSchema: true });
    const r = await ask('/simulate at the market');
    expect(r.text).toContain('En la panadería');
    await ask('/end');
  });

  it('a refusal: a clear message', async () => {
    t.openai!.failNext({ refusal: 'I cannot help with that.' });
    const r = await ask('/flashcards something');
    expect(r.text).toMatch(/declined/);
  });

  it('failed generations are logged as outputs with their error, and nothing else is stored', async () => {
    await t.core.activityLog.flush();
    const failed = await t.prisma.activityLog.findMany({ where: { direction: 'output' } });
    const errors = failed.map((r) => (r.responseMetadata as { ok: boolean; error?: string }).error).filter(Boolean);
    expect(errors).toEqual(expect.arrayContaining(['errors.llmUnavailable', 'errors.llmTimeout', 'errors.llmInvalid', 'errors.llmRefused']));
  });
});
