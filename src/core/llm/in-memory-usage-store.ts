// DailyUsageStore kept in process memory: for tests and the terminal chat (the bot uses the database one).
import type { DailyUsageStore } from './types.ts';

export class InMemoryDailyUsageStore implements DailyUsageStore {
  private readonly days = new Map<string, { calls: number; tokens: number }>();
  private latestDay = '';

  async reserveCall(userId: number, day: string): Promise<number> {
    const entry = this.entry(userId, day);
    entry.calls += 1;
    return entry.calls;
  }

  async addTokens(userId: number, day: string, tokens: number): Promise<void> {
    this.entry(userId, day).tokens += tokens;
  }

  /** What has been recorded for (userId, day); zeros if nothing. */
  usage(userId: number, day: string): { calls: number; tokens: number } {
    return { ...(this.days.get(`${userId}:${day}`) ?? { calls: 0, tokens: 0 }) };
  }

  private entry(userId: number, day: string): { calls: number; tokens: number } {
    const key = `${userId}:${day}`;
    if (day > this.latestDay) {
      // Earlier days are never read again by the client: drop them when a new UTC day starts.
      this.days.clear();
      this.latestDay = day;
    }
    let entry = this.days.get(key);
    if (!entry) {
      entry = { calls: 0, tokens: 0 };
      this.days.set(key, entry);
    }
    return entry;
  }
}
