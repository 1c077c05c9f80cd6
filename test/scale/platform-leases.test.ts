// One Telegram poller (and one Discord gateway connection) per bot token, with real bot processes
// (`src/main.ts`, as `npm start` runs it) against the fake platforms. Each process reaches the fake through
// its own counting proxy, so the test knows which process called getUpdates (or GET /gateway/bot). Short
// lease times (PLATFORM_LEASE_MS) keep the test quick.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeTelegram, type FakeTelegram } from '../support/fake-telegram/index.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { postgresTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.ts';
import { startMainProcess, type MainProcess } from './support/processes.ts';
import { deleteKeys, freePort, REDIS_URL, skipReason, titled, uniquePrefix, waitUntil } from './support/services.ts';

const LEASE_MS = 1_500;
const RETRY_MS = LEASE_MS / 3;

const VARIANTS = [
  { store: 'a Redis lease', redis: true, skip: skipReason('postgres', 'redis') },
  { store: 'a PostgreSQL advisory lock (no Redis)', redis: false, skip: skipReason('postgres') },
];

describe.each(VARIANTS)('one Telegram poller with $store', ({ redis, skip }) => {
  let fake: FakeTelegram;
  let database: TestDatabase;
  let prefix: string;
  const processes: MainProcess[] = [];
  const proxies: CountingProxy[] = [];

  beforeEach(async () => {
    if (skip) return;
    fake = await createFakeTelegram();
    database = await postgresTestDatabase();
    prefix = uniquePrefix('poller');
  });
  afterEach(async () => {
    if (skip) return;
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    await fake.close();
    await database.drop();
    await deleteKeys(prefix);
  });

  /** A bot process on its own proxy to the fake; resolves once it has either taken the lease or stood by. */
  async function botProcess(): Promise<{ process: MainProcess; proxy: CountingProxy; healthPort: number }> {
    const proxy = await startCountingProxy(fake.apiRoot);
    proxies.push(proxy);
    const healthPort = await freePort();
    const process = await startMainProcess({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: proxy.origin,
      PLATFORM_LEASE_MS: String(LEASE_MS),
      DATABASE_URL: database.url,
      HEALTH_PORT: String(healthPort),
      HEALTH_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...(redis ? { REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix } : {}),
    });
    processes.push(process);
    await process.waitForLog((l) => /^lease: (taken|held by another process)/.test(String(l.msg)), 30_000, 'the lease decision');
    return { process, proxy, healthPort };
  }
  const took = (p: MainProcess) => p.logs.some((l) => String(l.msg).startsWith('lease: taken'));
  const healthOf = async (port: number) => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: response.status, ...((await response.json()) as Record<string, unknown>) };
  };

  it.skipIf(Boolean(skip))(titled('only the holder polls; a crashed holder is replaced within the lease time', skip), async () => {
    const a = await botProcess();
    expect(took(a.process)).toBe(true);
    const b = await botProcess();
    expect(took(b.process)).toBe(false);

    // Several lease periods pass: the standby never calls getUpdates and reports itself healthy.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    expect(a.proxy.count('/getUpdates')).toBeGreaterThan(0);
    expect(b.proxy.count('/getUpdates')).toBe(0);
    expect(await healthOf(b.healthPort)).toMatchObject({ status: 200, ok: true, platforms: { telegram: 'standby' } });
    expect(await healthOf(a.healthPort)).toMatchObject({ status: 200, ok: true, platforms: { telegram: 'up' } });

    const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
    const dm = fake.privateChat(ana);
    fake.sendText(dm, ana, '/start');
    await fake.waitUntil(() => fake.botMessages(dm).length === 1, 20_000, 'the answer to /start');

    // A crash: no goodbye, the lease is left to run out (Redis) or ends with the session (PostgreSQL).
    const crashed = Date.now();
    await a.process.stop('SIGKILL');
    await waitUntil(() => b.proxy.count('/getUpdates') > 0, 4 * LEASE_MS + 10_000, 'the standby to take over');
    const takeoverMs = Date.now() - crashed;
    console.info(`[scale] ${redis ? 'Redis lease' : 'advisory lock'}: standby polling ${takeoverMs} ms after the holder crashed (lease ${LEASE_MS} ms, retry every ${RETRY_MS} ms)`);
    await waitUntil(() => took(b.process), 5_000, 'the standby to log that it took the lease');
    expect(takeoverMs).toBeLessThan(LEASE_MS + RETRY_MS + 8_000); // lease time, one retry, and the adapter's start

    fake.sendText(dm, ana, '/help');
    await fake.waitUntil(() => fake.botMessages(dm).length === 2, 20_000, 'the answer to /help from the new poller');
    expect(fake.botMessages(dm)).toHaveLength(2); // each update answered once
  });

  it.skipIf(Boolean(skip))(titled('a holder that shuts down hands over at once: the standby polls within one retry', skip), async () => {
    const a = await botProcess();
    const b = await botProcess();
    expect([took(a.process), took(b.process)]).toEqual([true, false]);

    const stopped = Date.now();
    await a.process.stop('SIGTERM');
    await waitUntil(() => a.process.logs.some((l) => l.msg === 'lease: released'), 5_000, 'the holder to log the release');
    await waitUntil(() => b.proxy.count('/getUpdates') > 0, LEASE_MS + 10_000, 'the standby to take over');
    console.info(`[scale] ${redis ? 'Redis lease' : 'advisory lock'}: standby polling ${Date.now() - stopped} ms after SIGTERM to the holder`);
    // Its log line travels through a pipe and may arrive a moment after its first getUpdates.
    await waitUntil(() => took(b.process), 5_000, 'the standby to log that it took the lease');
    const getUpdatesOfA = a.proxy.count('/getUpdates');
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    expect(a.proxy.count('/getUpdates')).toBe(getUpdatesOfA);
  });
});

const discordSkip = skipReason('postgres', 'redis');

describe.skipIf(Boolean(discordSkip))('one Discord gateway connection per token', () => {
  it(titled('only the holder connects to the gateway; another process takes over when it crashes', discordSkip), async () => {
    const fake = await FakeDiscord.start();
    const database = await postgresTestDatabase();
    const prefix = uniquePrefix('discord-lease');
    const proxies: CountingProxy[] = [];
    const processes: MainProcess[] = [];
    try {
      const start = async () => {
        const proxy = await startCountingProxy(new URL(fake.apiBase).origin);
        proxies.push(proxy);
        const process = await startMainProcess({
          DISCORD_TOKEN: fake.token,
          DISCORD_API_BASE_URL: `${proxy.origin}/api`,
          PLATFORM_LEASE_MS: String(LEASE_MS),
          DATABASE_URL: database.url,
          REDIS_URL: REDIS_URL!,
          REDIS_KEY_PREFIX: prefix,
          LOG_LEVEL: 'info',
        });
        processes.push(process);
        await process.waitForLog((l) => /^lease: (taken|held by another process)/.test(String(l.msg)), 30_000, 'the lease decision');
        return { process, proxy };
      };
      const a = await start();
      const b = await start();
      await a.process.waitForLog((l) => l.msg === 'discord: ready', 20_000, 'the holder to be ready');
      await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
      expect(a.proxy.count('/gateway/bot')).toBe(1);
      expect(b.proxy.count('/gateway/bot')).toBe(0);

      await a.process.stop('SIGKILL');
      await b.process.waitForLog((l) => l.msg === 'discord: ready', 4 * LEASE_MS + 10_000, 'the standby to connect');
      expect(b.proxy.count('/gateway/bot')).toBe(1);
    } finally {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      await Promise.all(proxies.map((p) => p.close()));
      await fake.close();
      await database.drop();
      await deleteKeys(prefix);
    }
  });
});
