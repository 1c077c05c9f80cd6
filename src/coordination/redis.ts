// The one Redis connection of a bot process (REDIS_URL): an ioredis client plus the Bottleneck connection
// that shares it (Bottleneck adds a subscriber duplicate for its cluster messages). Every command has a time
// limit, so a Redis outage turns into errors quickly instead of calls that wait forever.
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { within } from './within.ts';

export interface RedisHandle {
  readonly client: Redis;
  /** For Bottleneck limiters in cluster mode (`datastore: 'ioredis'`). */
  readonly connection: Bottleneck.IORedisConnection;
  /** Prefix of every key this bot writes (REDIS_KEY_PREFIX). */
  readonly prefix: string;
  /** Waits up to `timeoutMs` for the connection; false when Redis did not answer in time. */
  ready(timeoutMs: number): Promise<boolean>;
  /** One PING round trip within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Quits both connections (bounded: a dead server cannot hold the shutdown). */
  close(): Promise<void>;
}

export interface OpenRedisOptions {
  prefix: string;
  logger: Logger;
  /** Longest wait for one command's reply (default 2 s). */
  commandTimeoutMs?: number;
}

export function openRedis(url: string, options: OpenRedisOptions): RedisHandle {
  const log = options.logger.child({ component: 'redis' });
  const client = new Redis(url, {
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: 5_000,
    // A command waiting for a reconnect fails after one attempt instead of twenty.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // The address may hold a password: log only host and port.
  const where = redactedAddress(url);
  let up: boolean | undefined;
  client.on('ready', () => {
    if (up !== true) log.info({ redis: where }, up === undefined ? 'redis: connected' : 'redis: reconnected');
    up = true;
  });
  client.on('error', (error: Error) => {
    if (up !== false) log.warn({ redis: where, error: error.message }, 'redis: unreachable; shared limits refuse calls until it is back');
    up = false;
  });
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  // Bottleneck forwards client errors here; they are already logged above.
  connection.on('error', () => {});
  // At run time `ready` is a promise and `subscriber` a property (bottleneck.d.ts types `ready` as a method).
  const internals = connection as unknown as { ready: Promise<unknown>; subscriber?: Redis };

  let closing: Promise<void> | undefined;
  return {
    client,
    connection,
    prefix: options.prefix,
    async ready(timeoutMs) {
      return within(internals.ready, timeoutMs);
    },
    async ping(timeoutMs = 2_000) {
      return within(client.ping(), timeoutMs).catch(() => false);
    },
    close() {
      closing ??= (async () => {
        const quit = connection.disconnect(true) as Promise<unknown>;
        const quitted = await within(quit, 2_000).catch(() => false);
        if (!quitted) {
          client.disconnect();
          internals.subscriber?.disconnect();
        }
      })();
      return closing;
    },
  };
}

function redactedAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(invalid url)';
  }
}

/**
 * Opens the connection and waits briefly for it. An unreachable Redis does not stop the start: the bot runs,
 * /healthz says so, and LLM calls are refused with a clear message until Redis answers.
 */
export async function connectRedis(url: string, options: OpenRedisOptions & { waitMs?: number }): Promise<RedisHandle> {
  const handle = openRedis(url, options);
  if (!(await handle.ready(options.waitMs ?? 5_000))) {
    options.logger.warn({ redis: redactedAddress(url) }, 'redis: not reachable at start; continuing, shared limits refuse calls until it is');
  }
  return handle;
}
