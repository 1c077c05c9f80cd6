import type { DailyUsageStore } from '../llm/client.ts';
import type { Db } from '../db/client.ts';
import type { RawSql } from '../db/raw-sql.ts';

// Every model call reserves one: a hand-written upsert (what dailyUsage.upsert sends, without the query
// compiler's CPU per call; see generation-repository.ts).
const RESERVE =
  'INSERT INTO "daily_usage" ("user_id", "day", "llm_calls", "tokens") VALUES (?, ?, 1, ?) ' +
  'ON CONFLICT ("user_id", "day") DO UPDATE SET "llm_calls" = "daily_usage"."llm_calls" + 1, "tokens" = "daily_usage"."tokens" + excluded."tokens" RETURNING "llm_calls"';

/**
 * The daily per-learner LLM quota, kept in the database so it survives restarts and holds across processes.
 * Tokens are bookkeeping, not a limit: a generation's tokens wait in memory and go out with the learner's next
 * reservation (the same statement), or with flush() at shutdown, instead of costing a statement of their own.
 * A crash can lose the tokens of each learner's last generations; the activity log keeps every generation's
 * tokens regardless (response_metadata).
 */
export class DailyUsageRepository implements DailyUsageStore {
  private readonly pending = new Map<string, { userId: number; day: string; tokens: number }>();

  constructor(
    private readonly prisma: Db,
    private readonly sql: RawSql,
  ) {}

  async reserveCall(userId: number, day: string): Promise<number> {
    const key = `${userId}|${day}`;
    const tokens = this.pending.get(key)?.tokens ?? 0;
    this.pending.delete(key);
    try {
      const rows = await this.sql.query<{ llm_calls: number | bigint }>(RESERVE, [userId, day, tokens]);
      return Number(rows[0]!.llm_calls);
    } catch (error) {
      if (tokens > 0) this.addPending(userId, day, tokens);
      throw error;
    }
  }

  async addTokens(userId: number, day: string, tokens: number): Promise<void> {
    this.addPending(userId, day, tokens);
  }

  /** Writes the tokens still waiting (one statement per learner and day); called when the core stops. */
  async flush(): Promise<void> {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { userId, day, tokens } of waiting) {
      await this.prisma.dailyUsage.updateMany({ where: { userId, day }, data: { tokens: { increment: tokens } } });
    }
  }

  private addPending(userId: number, day: string, tokens: number): void {
    const key = `${userId}|${day}`;
    const entry = this.pending.get(key);
    if (entry) entry.tokens += tokens;
    else this.pending.set(key, { userId, day, tokens });
  }

  /** Seconds of speech (in and out) a learner used on `day`: the voice allowance. */
  async audioSeconds(userId: number, day: string): Promise<number> {
    const row = await this.prisma.dailyUsage.findFirst({ where: { userId, day }, select: { audioSeconds: true } });
    return row?.audioSeconds ?? 0;
  }

  async addAudioSeconds(userId: number, day: string, seconds: number): Promise<void> {
    await this.prisma.dailyUsage.upsert({
      where: { userId_day: { userId, day } },
      create: { userId, day, audioSeconds: seconds },
      update: { audioSeconds: { increment: seconds } },
    });
  }
}
