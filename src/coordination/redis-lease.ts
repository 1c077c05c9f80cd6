// A lease in Redis: `SET key owner NX PX ttl` to take it; renewal and release check the owner in one script,
// so a process can only extend or delete its own lease. A holder that stops renewing loses it after `ttlMs`.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Lease } from './lease.ts';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function createRedisLease(client: Redis, key: string, ttlMs: number, name = key): Lease {
  const owner = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const renew = async () => Number(await client.eval(RENEW, 1, key, owner, String(ttlMs))) === 1;
  return {
    name,
    async tryAcquire() {
      if ((await client.set(key, owner, 'PX', ttlMs, 'NX')) === 'OK') return true;
      return renew(); // already ours (e.g. after a renewal that timed out but went through)
    },
    renew,
    async release() {
      await client.eval(RELEASE, 1, key, owner).catch(() => undefined);
    },
  };
}
