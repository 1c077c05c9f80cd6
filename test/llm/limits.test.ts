// Limits checked before any HTTP call: per-learner sliding window, daily quota, and the global queue.
import { beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/core/errors.ts';
import { InMemoryDailyUsageStore } from '../../src/core/llm/client.ts';
import type { FakeOpenAI } from '../support/fake-openai.ts';
import { cardsRequest, rejectionOf, type CapturedLog, useLlmTestBed } from './helpers.ts';

const bed = useLlmTestBed();
let fake: FakeOpenAI;
let log: CapturedLog;
beforeEach(() => ({ fake, log } = bed));
const setup = bed.setup;

function clock(iso: string) {
  let now = Date.parse(iso);
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('per-learner limit', () => {
  it('rejects the call over userCallsPerMinute without an HTTP request, until the window moves on', async () => {
    const time = clock('2026-03-10T12:00:00Z');
    const { client } = setup({ userCallsPerMinute: 2, now: time.now });
    await client.generate(cardsRequest(log));
    time.advance(10_000);
    await client.generate(cardsRequest(log));

    const error = await rejectionOf(client.generate(cardsRequest(log)));
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.userRateLimited');
    expect(error.params).toEqual({ seconds: 50 }); // the first call leaves the 60 s window in 50 s
    expect(fake.requests).toHaveLength(2);

    // Another learner is not affected.
    await client.generate(cardsRequest(log, { userId: 2 }));
    expect(fake.requests).toHaveLength(3);

    time.advance(50_001);
    await client.generate(cardsRequest(log));
    expect(fake.requests).toHaveLength(4);
  });
});

describe('daily quota', () => {
  it('rejects the call over the quota without an HTTP request and says when it resets', async () => {
    const time = clock('2026-03-10T20:30:00Z');
    const usageStore = new InMemoryDailyUsageStore();
    const { client } = setup({ userDailyQuota: 2, usageStore, now: time.now });
    await client.generate(cardsRequest(log));
    await client.generate(cardsRequest(log));

    const error = await rejectionOf(client.generate(cardsRequest(log)));
    expect(error.key).toBe('errors.dailyQuota');
    expect(error.params).toEqual({ quota: 2, hours: 4 }); // 3 h 30 min to 00:00 UTC, rounded up
    expect(fake.requests).toHaveLength(2);
    expect(usageStore.usage(1, '2026-03-10').tokens).toBeGreaterThan(0);

    time.advance(4 * 3_600_000); // the next UTC day
    await client.generate(cardsRequest(log));
    expect(fake.requests).toHaveLength(3);
  });

  it('checks the per-learner limit before the quota (a rate-limited call does not use quota)', async () => {
    const usageStore = new InMemoryDailyUsageStore();
    const time = clock('2026-03-10T08:00:00Z');
    const { client } = setup({ userCallsPerMinute: 1, usageStore, now: time.now });
    await client.generate(cardsRequest(log));
    await rejectionOf(client.generate(cardsRequest(log)));
    expect(usageStore.usage(1, '2026-03-10').calls).toBe(1);
  });
});

describe('global limiter', () => {
  it('drops a call that waits in the queue longer than queueTimeoutMs with llmBusy, and never sends it', async () => {
    const { client } = setup({ maxConcurrent: 1, queueTimeoutMs: 200, timeoutMs: 5_000 });
    fake.failNext({ delayMs: 800 });
    const first = client.generate(cardsRequest(log));
    const second = client.generate(cardsRequest(log, { userId: 2 }));
    await expect.poll(() => client.stats(), { timeout: 5_000 }).toEqual({ queued: 1, running: 1 });

    const error = await rejectionOf(second);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmBusy');
    expect(error.params.seconds).toBeGreaterThanOrEqual(1);

    await first;
    // The control: a third call, queued after the abandoned one (first in, first out), is sent and answered;
    // the abandoned job had its turn before it and sent nothing.
    await client.generate(cardsRequest(log, { userId: 3 }));
    expect(fake.requests).toHaveLength(2);
    expect(client.stats()).toEqual({ queued: 0, running: 0 });
  });

  it('waits for the reservoir (callsPerMinute) and gives up with llmBusy until it refills', async () => {
    const { client } = setup({ callsPerMinute: 1, queueTimeoutMs: 300 });
    await client.generate(cardsRequest(log));
    const error = await rejectionOf(client.generate(cardsRequest(log, { userId: 2 })));

    expect(error.key).toBe('errors.llmBusy');
    expect(error.params.seconds).toBeGreaterThan(1);
    expect(error.params.seconds).toBeLessThanOrEqual(60);
    expect(fake.requests).toHaveLength(1);
  });

  it('after stop(), calls fail with llmUnavailable and reach no server', async () => {
    const { client } = setup();
    await client.stop();
    const error = await rejectionOf(client.generate(cardsRequest(log)));
    expect(error.key).toBe('errors.llmUnavailable');
    expect(fake.requests).toHaveLength(0);
  });
});
