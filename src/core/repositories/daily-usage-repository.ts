import type { DailyUsageStore } from '../llm/client.ts';
import type { Db } from '../db/client.ts';

/** The daily per-learner LLM quota, kept in the database so it survives restarts and holds across processes. */
export class DailyUsageRepository implements DailyUsageStore {
  constructor(private readonly prisma: Db) {}

  async reserveCall(userId: number, day: string): Promise<number> {
    const row = await this.prisma.dailyUsage.upsert({
      where: { userId_day: { userId, day } },
      create: { userId, day, llmCalls: 1 },
      update: { llmCalls: { increment: 1 } },
    });
    return row.llmCalls;
  }

  async addTokens(userId: number, day: string, tokens: number): Promise<void> {
    await this.prisma.dailyUsage.updateMany({ where: { userId, day }, data: { tokens: { increment: tokens } } });
  }
}
