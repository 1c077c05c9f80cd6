// The fetch wrapper that keeps the SDK's retries inside a call's time budget (src/core/llm/budgeted-fetch.ts),
// against a plain function standing in for the network. Through the real SDK and the fake model, the same
// guarantees are tested in failures.test.ts ("repeated 500s within a tight budget") and test/faults/llm.test.ts.
import { describe, expect, it } from 'vitest';
import {
  budgetAwareFetch,
  budgetOption,
  fittedBackoffMs,
  sdkBackoffMs,
  type CallBudget,
  type Fetch,
} from '../../src/core/llm/budgeted-fetch.ts';

const noJitter = () => 0;
const fullJitter = () => 0.999_999;

function serverAnswering(...responses: Array<() => Response>): Fetch & { calls: number } {
  const f = Object.assign(
    async () => {
      const next = responses[Math.min(f.calls, responses.length - 1)]!;
      f.calls += 1;
      return next();
    },
    { calls: 0 },
  );
  return f;
}

const status = (code: number, headers: Record<string, string> = {}) => () => new Response('{}', { status: code, headers });

function budget(remainingMs: number, maxRetries: number): CallBudget {
  return { deadline: Date.now() + remainingMs, httpRequests: 0, maxRetries, retriesMade: 0 };
}

async function send(fetch: Fetch, b: CallBudget): Promise<Response> {
  return fetch('http://model.test/v1/chat/completions', { method: 'POST', ...budgetOption(b) });
}

describe('the SDK backoff it mirrors', () => {
  it('is 0.5 s, 1 s, 2 s… capped at 8 s, less up to a quarter of jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => sdkBackoffMs(n, noJitter))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(sdkBackoffMs(0, fullJitter)).toBeCloseTo(375, 0);
  });

  it('is shortened to half of each remaining retry\'s share of the remaining time', () => {
    expect(fittedBackoffMs(60_000, 2, 0, noJitter)).toBe(500); // a normal budget: the SDK's own wait
    expect(fittedBackoffMs(1_000, 2, 0, noJitter)).toBe(250);
    expect(fittedBackoffMs(1_000, 1, 1, noJitter)).toBe(500);
    expect(fittedBackoffMs(-5, 1, 1, noJitter)).toBe(0);
  });
});

describe('a retryable response that names no wait', () => {
  it('gets the SDK backoff as retry-after-ms when the budget is ample', async () => {
    const server = serverAnswering(status(500), status(503));
    const fetch = budgetAwareFetch(server, noJitter);
    const b = budget(60_000, 2);

    const first = await send(fetch, b);
    const second = await send(fetch, b);
    expect(first.status).toBe(500);
    expect(first.headers.get('retry-after-ms')).toBe('500');
    expect(second.headers.get('retry-after-ms')).toBe('1000');
    expect(b).toMatchObject({ httpRequests: 2, retriesMade: 2 });
  });

  it('gets a wait that leaves every remaining retry time for its request when the budget is tight', async () => {
    const fetch = budgetAwareFetch(serverAnswering(status(500)), noJitter);
    const b = budget(1_000, 2);

    const first = Number((await send(fetch, b)).headers.get('retry-after-ms'));
    expect(first).toBeGreaterThan(200);
    expect(first).toBeLessThanOrEqual(250);
    b.deadline = Date.now() + 700; // as if the first wait and the second request had taken 300 ms
    const second = Number((await send(fetch, b)).headers.get('retry-after-ms'));
    expect(second).toBeGreaterThan(300);
    expect(second).toBeLessThanOrEqual(350);
  });

  it('is left as it is on the last attempt (the SDK gives up) and on a 4xx (not retried)', async () => {
    const fetch = budgetAwareFetch(serverAnswering(status(500), status(400)), noJitter);
    const b = budget(60_000, 0);
    expect((await send(fetch, b)).headers.get('retry-after-ms')).toBeNull();
    b.maxRetries = 2;
    expect((await send(fetch, b)).headers.get('retry-after-ms')).toBeNull();
    expect(b.retriesMade).toBe(0);
  });
});

it('counts a connection error as a retry made (the SDK retries it too), so the next wait is the next backoff', async () => {
  const refused = () => {
    throw new TypeError('fetch failed');
  };
  const fetch = budgetAwareFetch(serverAnswering(refused, status(502)), noJitter);
  const b = budget(60_000, 2);
  await expect(send(fetch, b)).rejects.toThrow('fetch failed');
  expect(b.retriesMade).toBe(1);
  expect((await send(fetch, b)).headers.get('retry-after-ms')).toBe('1000');
});

describe('a response that names its wait', () => {
  it('passes unchanged when the wait fits the remaining time', async () => {
    const fetch = budgetAwareFetch(serverAnswering(status(429, { 'retry-after': '1' })), noJitter);
    const b = budget(5_000, 2);
    const response = await send(fetch, b);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('retry-after-ms')).toBeNull();
    expect(response.headers.get('x-should-retry')).toBeNull();
    expect(b.retriesMade).toBe(1);
  });

  it('is marked "do not retry" when the wait is beyond the remaining time', async () => {
    const fetch = budgetAwareFetch(serverAnswering(status(429, { 'retry-after': '120' })), noJitter);
    const response = await send(fetch, budget(5_000, 2));
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(response.headers.get('retry-after')).toBe('120'); // still read for "busy, try again in 120 s"
  });
});

it('passes a request without a budget straight through', async () => {
  const server = serverAnswering(status(500));
  const response = await budgetAwareFetch(server, noJitter)('http://model.test/v1/models');
  expect(response.headers.get('retry-after-ms')).toBeNull();
  expect(server.calls).toBe(1);
});
