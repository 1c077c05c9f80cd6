// Sliding-window message counters, as Telegram applies them: per chat, per group per minute, and overall.

export interface Window {
  max: number;
  windowMs: number;
}

export interface FakeRateLimits {
  /** Any chat: more than `max` messages within `windowMs` → 429. */
  perChat: Window;
  /** Groups (negative ids) in addition: Telegram's 20 messages per minute. */
  perGroup: Window;
  /** All chats together. */
  global: Window;
}

export const DEFAULT_FAKE_RATE_LIMITS: FakeRateLimits = {
  perChat: { max: 5, windowMs: 1000 },
  perGroup: { max: 20, windowMs: 60_000 },
  global: { max: 30, windowMs: 1000 },
};

export class RateLimiter {
  private readonly sentAt = new Map<string, number[]>();

  constructor(private readonly limits: FakeRateLimits) {}

  /** Seconds to wait if one more message to `chatId` now would break a limit; undefined = allowed (and counted). */
  take(chatId: number, now = Date.now()): number | undefined {
    const checks: Array<[string, Window]> = [
      [`chat:${chatId}`, this.limits.perChat],
      ['global', this.limits.global],
    ];
    if (chatId < 0) checks.push([`group:${chatId}`, this.limits.perGroup]);
    let wait = 0;
    for (const [key, window] of checks) {
      const recent = (this.sentAt.get(key) ?? []).filter((t) => t > now - window.windowMs);
      this.sentAt.set(key, recent);
      if (recent.length >= window.max) wait = Math.max(wait, recent[0]! + window.windowMs - now);
    }
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    for (const [key] of checks) this.sentAt.get(key)!.push(now);
    return undefined;
  }
}
