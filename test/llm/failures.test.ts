// Transport failures through the real openai SDK: rate limits, server errors, hangs and stalled streams.
// Time assertions are only generous upper bounds that prove a call ended instead of hanging.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/core/errors.ts';
import type { FakeOpenAI } from '../support/fake-openai.ts';
import { cardsRequest, rejectionOf, type CapturedLog, useLlmTestBed } from './helpers.ts';

const bed = useLlmTestBed();
let fake: FakeOpenAI;
let log: CapturedLog;
beforeEach(() => ({ fake, log } = bed));
const setup = bed.setup;

async function timed<T>(promise: Promise<T>): Promise<{ error: any; ms: number }> {
  const started = Date.now();
  const error = await rejectionOf(promise);
  return { error, ms: Date.now() - started };
}

describe('rate limits from the provider', () => {
  it('honours retry-after on a 429 and then returns the content', async () => {
    const { client } = setup({ timeoutMs: 5_000 });
    fake.failNext({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await client.generate(cardsRequest(log));

    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // the SDK waited as asked
    expect(result).toMatchObject({ attempts: 2, repaired: false });
    expect(result.value.cards.length).toBeGreaterThanOrEqual(2);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails fast with llmBusy when retry-after is beyond the time budget', async () => {
    const { client } = setup({ timeoutMs: 2_000 });
    fake.failNext({ status: 429, retryAfterSeconds: 120 });
    const { error, ms } = await timed(client.generate(cardsRequest(log)));

    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmBusy');
    expect(error.params).toEqual({ seconds: 120 });
    expect(fake.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1_500);
  });

  it('reports llmBusy after the SDK has used its retries', async () => {
    const { client } = setup({ maxRetries: 2 });
    fake.failNext(...Array.from({ length: 3 }, () => ({ status: 429, retryAfterSeconds: 0 })));
    const error = await rejectionOf(client.generate(cardsRequest(log)));

    expect(error.key).toBe('errors.llmBusy');
    expect(error.params.seconds).toBeGreaterThanOrEqual(1);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('server and connection failures', () => {
  it('maps repeated 500s to llmUnavailable after maxRetries + 1 requests', async () => {
    const { client } = setup({ maxRetries: 2, timeoutMs: 10_000 });
    fake.failNext(...Array.from({ length: 3 }, () => ({ status: 500 })));
    const error = await rejectionOf(client.generate(cardsRequest(log)));

    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmUnavailable');
    expect(fake.requests).toHaveLength(3);
  });

  it('makes every retry within a tight budget: repeated 500s read "not reachable", not "took too long"', async () => {
    // The SDK's own backoff before the two retries (0.5 s + 1 s, less up to 25 % jitter) is longer than this
    // whole budget; budgetAwareFetch shortens it so that the third request is still made and answered in time.
    const { client } = setup({ maxRetries: 2, timeoutMs: 1_000 });
    fake.failNext(...Array.from({ length: 3 }, () => ({ status: 500 })));
    const { error, ms } = await timed(client.generate(cardsRequest(log)));

    expect(error.key).toBe('errors.llmUnavailable');
    expect(fake.requests).toHaveLength(3);
    expect(ms).toBeLessThan(1_000);
  });

  it('maps a refused connection to llmUnavailable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const { client } = setup({ baseURL: `http://127.0.0.1:${closedPort}/v1`, maxRetries: 1 });
    const error = await rejectionOf(client.generate(cardsRequest(log)));
    expect(error.key).toBe('errors.llmUnavailable');
  });
});

describe('timeouts', () => {
  it('ends a request whose server never answers with llmTimeout', async () => {
    const { client } = setup({ timeoutMs: 800, maxRetries: 2 });
    fake.failNext({ hang: true }, { hang: true }, { hang: true });
    const { error, ms } = await timed(client.generate(cardsRequest(log)));

    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmTimeout');
    expect(fake.requests).toHaveLength(1); // the deadline ended the call; no SDK retry after it
    expect(ms).toBeLessThan(5_000); // ended; the SDK alone would wait (and retry) much longer
  });

  it('aborts a stream that stalls after the first chunk with llmTimeout', async () => {
    const { client } = setup({ timeoutMs: 20_000, stallTimeoutMs: 400 });
    fake.failNext({ stallAfterFirstChunk: true });
    const { error, ms } = await timed(client.generate(cardsRequest(log)));

    expect(error.key).toBe('errors.llmTimeout');
    expect(fake.requests).toHaveLength(1);
    expect(ms).toBeLessThan(10_000); // the watchdog fired, not the 20 s deadline
  });

  it('bounds a slow repair too: the second call has its own deadline', async () => {
    const { client } = setup({ timeoutMs: 700 });
    fake.failNext({ invalidJson: true }, { delayMs: 5_000 });
    const { error, ms } = await timed(client.generate(cardsRequest(log)));

    expect(error.key).toBe('errors.llmTimeout');
    expect(fake.requests).toHaveLength(2);
    expect(ms).toBeLessThan(4_000);
  });
});
