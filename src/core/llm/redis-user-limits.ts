// The per-learner minute limit kept in Redis, so it holds across bot processes: the same sliding 60 s window
// as the in-memory UserRateLimiter, as one sorted set per learner updated by one atomic script. Over the
// limit, the call is refused at once (never queued) with the seconds until the oldest call leaves the window.
// If Redis cannot answer, the call is refused with errors.llmBusy rather than let through unlimited.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { UserFacingError } from '../errors.ts';
import type { Logger } from '../../logger.ts';
import type { UserRateLimit } from './user-limits.ts';

const WINDOW_MS = 60_000;
const COMMAND = 'tutorUserRateTake';

// KEYS[1] the learner's window; ARGV now, window, limit, member. Returns {1, 0} (taken) or {0, oldest}.
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2])}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
`;

type TakeCommand = (key: string, now: number, window: number, limit: number, member: string) => Promise<[number, number]>;

export class RedisUserRateLimiter implements UserRateLimit {
  private readonly take_: TakeCommand;
  private readonly instance = randomBytes(4).toString('hex');
  private sequence = 0;
  private lastWarning = 0;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly now: () => number,
    private readonly logger?: Logger,
  ) {
    if (!(COMMAND in client)) client.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SCRIPT });
    const command = (client as unknown as Record<string, TakeCommand>)[COMMAND]!;
    this.take_ = command.bind(client);
  }

  async take(userId: number): Promise<void> {
    const now = this.now();
    let reply: [number, number];
    try {
      reply = await this.take_(`${this.prefix}user-rate:${userId}`, now, WINDOW_MS, this.limit, `${now}:${this.instance}:${this.sequence++}`);
    } catch (error) {
      this.warn(error);
      throw new UserFacingError('errors.llmBusy', { seconds: 30 });
    }
    const [taken, oldest] = reply;
    if (Number(taken) === 1) return;
    const seconds = Math.max(1, Math.ceil((Number(oldest) + WINDOW_MS - now) / 1000));
    throw new UserFacingError('errors.userRateLimited', { seconds });
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (!this.logger || now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'per-learner limit: Redis unavailable; refusing calls');
  }
}
