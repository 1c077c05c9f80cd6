// The LLM limits on Redis, in process: Bottleneck 2.19.5 clustering over ioredis 6 (its scripts, pub/sub),
// the per-learner window's answers (the same as the in-memory one), and what a learner gets when Redis is
// down: a clear "busy, try again" at once, nothing sent to the provider, no crash, and a shutdown that ends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { openRedis, type RedisHandle } from '../../src/coordination/redis.ts';
import { UserFacingError } from '../../src/core/errors.ts';
import { GlobalLimiter } from '../../src/core/llm/global-limiter.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { captureLog, cardsRequest, makeClient, rejectionOf, type CapturedLog } from '../llm/helpers.ts';
import { deleteKeys, REDIS_URL, skipReason, titled, uniquePrefix } from './support/services.ts';
import { startTcpProxy, throughProxy, type TcpProxy } from './support/tcp-proxy.ts';

const skip = skipReason('redis');

describe.skipIf(Boolean(skip))('LLM limits on Redis', () => {
  let fake: FakeOpenAI;
  let log: CapturedLog;
  let prefix: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    log = captureLog();
    prefix = uniquePrefix('limits');
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await fake.close();
    await deleteKeys(prefix);
  });

  function redis(url = REDIS_URL!): RedisHandle {
    const handle = openRedis(url, { prefix, logger: log.logger });
    cleanups.push(() => handle.close());
    return handle;
  }
  function client(handle: RedisHandle, overrides: Parameters<typeof makeClient>[2] = {}) {
    const made = makeClient(fake, log, { redis: { connection: handle.connection, client: handle.client, prefix: handle.prefix }, ...overrides });
    cleanups.push(() => made.client.stop());
    return made.client;
  }

  it(titled('two limiters with one prefix share maxConcurrent=1: their jobs never overlap', skip), async () => {
    const limiters = [redis(), redis()].map((h) => new GlobalLimiter({ maxConcurrent: 1, callsPerMinute: 1000, queueTimeoutMs: 10_000, redis: { connection: h.connection, client: h.client, prefix } }));
    cleanups.push(async () => void (await Promise.all(limiters.map((l) => l.stop()))));
    let running = 0;
    let most = 0;
    const job = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 40));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => limiters[i % 2]!.run(job)));
    expect(most).toBe(1);
  });

  it(titled('the per-learner window in Redis answers like the in-memory one, across two clients', skip), async () => {
    let now = Date.parse('2026-03-10T12:00:00Z');
    const clock = () => now;
    const a = client(redis(), { userCallsPerMinute: 2, now: clock });
    const b = client(redis(), { userCallsPerMinute: 2, now: clock });
    await a.generate(cardsRequest(log));
    now += 10_000;
    await b.generate(cardsRequest(log));

    const error = await rejectionOf(a.generate(cardsRequest(log)));
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.userRateLimited');
    expect(error.params).toEqual({ seconds: 50 }); // the first call leaves the 60 s window in 50 s
    expect(fake.requests).toHaveLength(2);

    await b.generate(cardsRequest(log, { userId: 2 })); // another learner is not affected
    now += 50_001;
    await b.generate(cardsRequest(log));
    expect(fake.requests).toHaveLength(4);
  });

  describe('when Redis is down', () => {
    let proxy: TcpProxy;
    beforeEach(async () => {
      const target = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379');
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      cleanups.push(() => proxy.stop());
    });

    it(titled('a learner is told the bot is busy (llmBusy), nothing reaches the provider, and it works again once Redis is back', skip), async () => {
      const handle = redis(throughProxy(REDIS_URL!, proxy));
      const llm = client(handle, { queueTimeoutMs: 1_000 });
      await llm.generate(cardsRequest(log));
      expect(fake.requests).toHaveLength(1);

      await proxy.stop();
      for (const userId of [1, 2]) {
        const error = await rejectionOf(llm.generate(cardsRequest(log, { userId })));
        expect(error).toBeInstanceOf(UserFacingError);
        expect(error.key).toBe('errors.llmBusy');
      }
      expect(fake.requests).toHaveLength(1);
      expect(await handle.ping(500)).toBe(false);

      await proxy.start();
      await expect.poll(() => handle.ping(500), { timeout: 10_000 }).toBe(true);
      await llm.generate(cardsRequest(log, { userId: 3 }));
      expect(fake.requests).toHaveLength(2);
    });

    it(titled('the shared global limiter refuses with llmBusy instead of waiting for Redis, and stops', skip), async () => {
      const handle = redis(throughProxy(REDIS_URL!, proxy));
      expect(await handle.ready(5_000)).toBe(true);
      const limiter = new GlobalLimiter({ maxConcurrent: 2, callsPerMinute: 100, queueTimeoutMs: 1_500, redis: { connection: handle.connection, client: handle.client, prefix } });
      expect(await limiter.run(async () => 'ran')).toBe('ran');
      const witness = redis(throughProxy(REDIS_URL!, proxy));
      expect(await witness.ready(5_000)).toBe(true);

      await proxy.stop();
      let ran = 0;
      const error = await rejectionOf(limiter.run(async () => void (ran += 1)));
      expect(error.key).toBe('errors.llmBusy');
      expect(ran).toBe(0);
      await limiter.stop();
      await handle.close();
      const reconnects: string[] = [];
      handle.client.on('connect', () => reconnects.push('client'));
      (handle.connection as unknown as { subscriber?: Redis }).subscriber?.on('connect', () => reconnects.push('subscriber'));
      // Closed for good: it does not reconnect when Redis is back. The control is a handle that stayed open
      // through the same outage with the same retry schedule: once it has reconnected, the closed one would have.
      await proxy.start();
      await expect.poll(() => witness.ping(500), { timeout: 15_000 }).toBe(true);
      expect(reconnects).toEqual([]);
      expect(handle.client.status).not.toBe('ready');
    });

    it(titled('Redis unreachable from the start: calls are refused with llmBusy, closing does not hang', skip), async () => {
      await proxy.stop();
      const handle = redis(throughProxy(REDIS_URL!, proxy));
      expect(await handle.ready(300)).toBe(false);
      const llm = client(handle, { queueTimeoutMs: 800 });
      const error = await rejectionOf(llm.generate(cardsRequest(log)));
      expect(error.key).toBe('errors.llmBusy');
      expect(fake.requests).toHaveLength(0);
      await llm.stop();
      await handle.close();
    });
  });
});
