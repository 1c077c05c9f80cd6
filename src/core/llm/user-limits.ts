// Per-learner limits checked before any HTTP call: a sliding 60 s window (in memory, or in Redis when the
// processes share one) and the daily quota.
import { UserFacingError } from '../errors.ts';
import { isRecordGone } from '../db/errors.ts';
import type { DailyUsageStore, LlmClientOptions } from './types.ts';
import { RedisUserRateLimiter } from './redis-user-limits.ts';

const WINDOW_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Records one call of a learner, or throws errors.userRateLimited (never waits for a free slot). */
export interface UserRateLimit {
  take(userId: number): void | Promise<void>;
}

/** The per-minute limit of the client's options: shared through Redis when configured, else in memory. */
export function createUserRateLimiter(options: LlmClientOptions, now: () => number): UserRateLimit {
  if (options.redis) {
    return new RedisUserRateLimiter(options.redis.client, options.redis.prefix, options.userCallsPerMinute, now, options.logger);
  }
  return new UserRateLimiter(options.userCallsPerMinute, now);
}

/** Sliding-window counter: at most `limit` calls per user in any 60 s. */
export class UserRateLimiter implements UserRateLimit {
  private readonly calls = new Map<number, number[]>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** Records a call, or throws errors.userRateLimited with the seconds until the oldest call leaves the window. */
  take(userId: number): void {
    const now = this.now();
    const recent = (this.calls.get(userId) ?? []).filter((at) => at > now - WINDOW_MS);
    if (recent.length >= this.limit) {
      this.calls.set(userId, recent);
      const seconds = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
      throw new UserFacingError('errors.userRateLimited', { seconds });
    }
    recent.push(now);
    this.calls.set(userId, recent);
    this.forgetIdleUsers(now);
  }

  private forgetIdleUsers(now: number): void {
    // Cheap bound on memory: only sweep once the map is large.
    if (this.calls.size < 10_000) return;
    for (const [userId, times] of this.calls) {
      if ((times.at(-1) ?? 0) <= now - WINDOW_MS) this.calls.delete(userId);
    }
  }
}

/** 'YYYY-MM-DD' of the UTC day containing `ms`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole hours (rounded up, at least 1) until the next 00:00 UTC. */
export function hoursUntilUtcMidnight(ms: number): number {
  const d = new Date(ms);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - ms) / HOUR_MS));
}

/**
 * Reserves one generation for today; throws errors.dailyQuota when this one goes over the quota, and
 * errors.learnerGone when the learner's row was deleted (a /forget that ran after the request was accepted):
 * the reservation is the first write of every model call, text or speech, so the race is answered here once.
 */
export async function reserveDailyCall(
  store: DailyUsageStore,
  userId: number,
  quota: number,
  nowMs: number,
): Promise<string> {
  const day = utcDay(nowMs);
  const count = await store.reserveCall(userId, day).catch((error: unknown) => {
    if (isRecordGone(error)) throw new UserFacingError('errors.learnerGone');
    throw error;
  });
  if (count > quota) {
    throw new UserFacingError('errors.dailyQuota', { quota, hours: hoursUntilUtcMidnight(nowMs) });
  }
  return day;
}
