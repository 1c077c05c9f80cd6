// The operations server of a bot process: /healthz follows the database, Redis and the platform adapters
// (the database and Redis reached through TCP proxies that the test takes down and brings back), and
// /metrics shows the named metrics once commands have run. Metrics live on the core's own registry.
import { afterEach, describe, expect, it } from 'vitest';
import { register as globalRegistry } from 'prom-client';
import type { PlatformAdapter } from '../../src/bots/adapter.ts';
import { startOps } from '../../src/ops/index.ts';
import type { OpsServer } from '../../src/ops/server.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { postgresTestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { deleteKeys, REDIS_URL, skipReason, titled, uniquePrefix } from './support/services.ts';
import { startTcpProxy, throughProxy, type TcpProxy } from './support/tcp-proxy.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A platform adapter whose connection the test switches. */
function switchableAdapter(platform: PlatformAdapter['platform']): PlatformAdapter & { up: boolean } {
  const adapter = { platform, up: true, start: async () => {}, stop: async () => {}, isConnected: () => adapter.up };
  return adapter;
}

async function serve(t: TestCore, adapters: PlatformAdapter[]): Promise<OpsServer> {
  const ops = await startOps(t.core, () => adapters, t.logger, 0);
  cleanups.push(() => ops.close());
  return ops;
}

async function get(ops: OpsServer, path: string): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`http://127.0.0.1:${ops.port}${path}`);
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

const say = async (t: TestCore, text: string) => replyText(await t.frontDoor.text(incomingFrom(t.logger, { id: 'ana', name: 'Ana' }), text, { addressed: true }));

describe('/metrics', () => {
  it('names commands, LLM calls, tokens, latency, rate-limit rejections and the activity log, on the core’s own registry', async () => {
    const t = await createTestCore({ env: { USER_CALLS_PER_MINUTE: '1' } });
    cleanups.push(() => t.close());
    const ops = await serve(t, []);
    expect(await say(t, '/flashcards kitchen count:3')).toContain('el cuchillo');
    expect(await say(t, '/flashcards kitchen count:3')).toMatch(/going fast/);
    await say(t, '/start');

    const { status, body, type } = await get(ops, '/metrics');
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(body).toContain('tutor_commands_total{command="flashcards",outcome="ok"} 1');
    expect(body).toContain('tutor_commands_total{command="flashcards",outcome="user_error"} 1');
    expect(body).toContain('tutor_commands_total{command="start",outcome="ok"} 1');
    expect(body).toContain('tutor_llm_calls_total{outcome="ok"} 1');
    expect(body).toContain('tutor_llm_calls_total{outcome="userRateLimited"} 1');
    expect(body).toContain('tutor_rate_limit_rejections_total{kind="user_per_minute"} 1');
    expect(Number(/tutor_llm_tokens_total\{kind="prompt"\} (\d+)/.exec(body)?.[1])).toBeGreaterThan(0);
    expect(Number(/tutor_llm_tokens_total\{kind="completion"\} (\d+)/.exec(body)?.[1])).toBeGreaterThan(0);
    expect(body).toContain('tutor_llm_latency_seconds_count 1');
    expect(body).toMatch(/tutor_activity_log_buffered \d+/);
    expect(body).toContain('tutor_activity_log_flush_failures_total 0');
    expect(body).toContain('tutor_activity_log_dropped_total 0');
    // The activity journal (on by default): its size and counters.
    expect(Number(/tutor_activity_journal_bytes (\d+)/.exec(body)?.[1])).toBeGreaterThan(0);
    expect(body).toMatch(/tutor_activity_journal_entries_waiting \d+/);
    expect(body).toMatch(/tutor_activity_journal_segments [1-9]/);
    expect(body).toContain('tutor_activity_journal_replays_total 0');
    expect(body).toContain('tutor_activity_journal_dropped_segments_total 0');
    // Ratings saved for later while the database is away: none here (the outage test sees them counted).
    expect(body).toContain('tutor_feedback_deferred_waiting 0');
    expect(body).toContain('tutor_feedback_deferred_total 0');
    // Nothing went to prom-client's process-wide default registry.
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
  });

  it('/healthz on SQLite without Redis: 200 with the database and each platform; 503 when a platform is down', async () => {
    const t = await createTestCore();
    cleanups.push(() => t.close());
    const telegram = switchableAdapter('telegram');
    const ops = await serve(t, [telegram]);
    let health = await get(ops, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true, database: 'up', platforms: { telegram: 'up' } });
    telegram.up = false;
    health = await get(ops, '/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toEqual({ ok: false, database: 'up', platforms: { telegram: 'down' } });
    expect((await get(ops, '/nothing')).status).toBe(404);
  });
});

const pgRedisSkip = skipReason('postgres', 'redis');

describe.skipIf(Boolean(pgRedisSkip))('/healthz with PostgreSQL and Redis behind proxies', () => {
  it(titled('503 while the database or Redis is unreachable, 200 when they are back; learners get a clear message meanwhile', pgRedisSkip), async () => {
    const database = await postgresTestDatabase();
    cleanups.push(() => database.drop());
    const dbTarget = new URL(database.url);
    const redisTarget = new URL(REDIS_URL!);
    const dbProxy: TcpProxy = await startTcpProxy({ host: dbTarget.hostname, port: Number(dbTarget.port || 5432) });
    const redisProxy: TcpProxy = await startTcpProxy({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
    cleanups.push(() => dbProxy.stop(), () => redisProxy.stop());
    const prefix = uniquePrefix('health');
    cleanups.push(() => deleteKeys(prefix));

    const t = await createTestCore({
      database: { url: throughProxy(database.url, dbProxy), drop: async () => {} },
      env: { REDIS_URL: throughProxy(REDIS_URL!, redisProxy), REDIS_KEY_PREFIX: prefix, LLM_QUEUE_TIMEOUT_MS: '1000' },
    });
    cleanups.push(() => t.close());
    const ops = await serve(t, [switchableAdapter('discord')]);
    const health = async () => {
      const { status, body } = await get(ops, '/healthz');
      return { status, ...JSON.parse(body) };
    };

    expect(await health()).toEqual({ status: 200, ok: true, database: 'up', redis: 'up', platforms: { discord: 'up' } });
    expect(await say(t, '/flashcards kitchen count:3')).toContain('el cuchillo');

    await dbProxy.stop();
    // An outage the activity journal absorbs: still 200 (restarting the process would not help), and it says so.
    expect(await health()).toEqual({ status: 200, ok: true, database: 'down', journal: 'buffering', redis: 'up', platforms: { discord: 'up' } });
    await dbProxy.start();
    await expect.poll(async () => (await health()).database, { timeout: 15_000 }).toBe('up');
    expect(await health()).toEqual({ status: 200, ok: true, database: 'up', redis: 'up', platforms: { discord: 'up' } });
    await expect.poll(async () => (await health()).status, { timeout: 15_000 }).toBe(200);

    await redisProxy.stop();
    expect(await health()).toMatchObject({ status: 503, ok: false, database: 'up', redis: 'down' });
    // The learner is told to try again; nothing crashes, nothing hangs.
    expect(await say(t, '/flashcards kitchen count:3')).toMatch(/busy with many learners/);
    await redisProxy.start();
    await expect.poll(async () => (await health()).status, { timeout: 15_000 }).toBe(200);
    expect(await say(t, '/flashcards colours count:3')).toContain('el cuchillo');

    // Stopping the core closes the Redis connection (the health check then reports it down).
    await t.close();
    expect(await t.core.redis!.ping(300)).toBe(false);
  });
});
