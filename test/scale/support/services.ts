// What the scale tests need from the machine: PostgreSQL (TEST_POSTGRES_URL) and Redis (TEST_REDIS_URL).
// Without them the tests skip and say why in their names. Each test uses its own Redis key prefix and
// deletes its keys afterwards (the Redis server is shared).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { POSTGRES_SKIP_REASON } from '../../support/databases.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL?.trim() || undefined;
export const REDIS_SKIP_REASON = REDIS_URL ? undefined : 'TEST_REDIS_URL is not set: Redis tests skipped';

/** Why a test needing these services skips, or undefined when it runs. */
export function skipReason(...needs: Array<'postgres' | 'redis'>): string | undefined {
  const reasons = [needs.includes('postgres') ? POSTGRES_SKIP_REASON : undefined, needs.includes('redis') ? REDIS_SKIP_REASON : undefined];
  const missing = reasons.filter((r): r is string => r !== undefined);
  return missing.length > 0 ? missing.join('; ') : undefined;
}

/** A test title that shows the skip reason when the test cannot run. */
export function titled(what: string, skip: string | undefined): string {
  return skip ? `${what} — skipped: ${skip}` : what;
}

export function uniquePrefix(name: string): string {
  return `test:${name}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key containing `prefix` (Bottleneck's keys embed it: b_<prefix>llm-global_settings). */
export async function deleteKeys(prefix: string): Promise<void> {
  if (!REDIS_URL) return;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A TCP port that was free a moment ago (for a child process's HEALTH_PORT). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
