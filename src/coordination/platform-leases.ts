// Leases that let only one bot process hold a platform connection that must be unique per bot token:
//   telegram-poller  — getUpdates from two processes makes Telegram answer 409 and splits the updates;
//   discord-gateway  — two gateway connections without sharding would both receive (and answer) every event.
// Where the lease lives:
//   REDIS_URL set                  → a Redis key (SET NX PX), renewed every third of PLATFORM_LEASE_MS;
//   else PostgreSQL DATABASE_URL   → a session-level advisory lock on a connection of its own;
//   else (SQLite)                  → no lease: an SQLite file means one host; run one bot process there.
// Telegram's webhook mode needs none (any number of workers may receive Telegram's POSTs behind a load
// balancer), and neither does a Discord shard process (its ShardingManager holds the Discord lease).
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { parseDatabaseUrl } from '../core/db/url.ts';
import type { Lease } from './lease.ts';
import { createPostgresLease } from './postgres-lease.ts';
import { createRedisLease } from './redis-lease.ts';
import type { RedisHandle } from './redis.ts';

export interface Coordination {
  redis?: RedisHandle;
}

export type LeasedConnection = 'telegram-poller' | 'discord-gateway';

export function platformLease(what: LeasedConnection, token: string, config: Config, coordination: Coordination = {}): Lease | undefined {
  // Named after a hash of the token: the token itself never reaches Redis, PostgreSQL or the logs.
  const name = `${what}:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  const ttlMs = config.PLATFORM_LEASE_MS;
  if (coordination.redis) return createRedisLease(coordination.redis.client, `${coordination.redis.prefix}lease:${name}`, ttlMs, name);
  const database = parseDatabaseUrl(config.DATABASE_URL);
  if (database.provider === 'postgresql') return createPostgresLease(database.location, name, { timeoutMs: Math.max(1_000, Math.floor(ttlMs / 3)) });
  return undefined;
}

/** Renew and retry every third of the lease time: two renewals may fail before the lease runs out. */
export function leaseTimings(ttlMs: number): { renewEveryMs: number; retryEveryMs: number } {
  const third = Math.max(100, Math.floor(ttlMs / 3));
  return { renewEveryMs: third, retryEveryMs: third };
}
