// The closed-days cache of the dashboard's per-day series: after one full read, a request reads only today's
// rows; a new UTC day or REFRESH_MS later reads the whole window again.
import { describe, expect, it } from 'vitest';
import { cachedReads, REFRESH_MS } from '../../src/ops/admin/cached-reads.ts';
import type { DashboardRepository, TokenDay } from '../../src/core/repositories/dashboard-repository.ts';

describe('cachedReads', () => {
  it('reads the window once, then only today, and again on a new day or after REFRESH_MS', async () => {
    let clock = new Date('2026-12-01T10:00:00Z');
    const asked: string[] = [];
    const rows: TokenDay[] = [
      { day: '2026-11-29', promptTokens: 1, completionTokens: 1 },
      { day: '2026-11-30', promptTokens: 2, completionTokens: 2 },
      { day: '2026-12-01', promptTokens: 3, completionTokens: 3 },
    ];
    const repository = {
      tokensPerDay: async (since: Date) => {
        asked.push(since.toISOString());
        return rows.filter((r) => r.day >= since.toISOString().slice(0, 10));
      },
    } as unknown as DashboardRepository;
    const reads = cachedReads(repository, () => clock);
    const since = new Date('2026-11-29T00:00:00Z');
    expect(await reads.tokensPerDay(since)).toEqual(rows);
    rows[2] = { day: '2026-12-01', promptTokens: 30, completionTokens: 30 };
    rows[1] = { day: '2026-11-30', promptTokens: 99, completionTokens: 99 }; // a late change to a closed day
    const second = await reads.tokensPerDay(since);
    expect(asked).toEqual(['2026-11-29T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(second.map((r) => r.promptTokens)).toEqual([1, 2, 30]); // today fresh, the closed days from memory
    // A narrower window is served from the same memory.
    expect((await reads.tokensPerDay(new Date('2026-11-30T00:00:00Z'))).map((r) => r.day)).toEqual(['2026-11-30', '2026-12-01']);
    // REFRESH_MS later: the whole window again (the late change shows).
    clock = new Date(clock.getTime() + REFRESH_MS + 1);
    expect((await reads.tokensPerDay(since)).map((r) => r.promptTokens)).toEqual([1, 99, 30]);
    // A wider window than the one in memory: read in full.
    const before = asked.length;
    await reads.tokensPerDay(new Date('2026-11-01T00:00:00Z'));
    expect(asked.slice(before)).toEqual(['2026-11-01T00:00:00.000Z']);
    // The next UTC day: read in full again.
    clock = new Date('2026-12-02T00:00:01Z');
    await reads.tokensPerDay(since);
    expect(asked.at(-1)).toBe('2026-11-29T00:00:00.000Z');
  });
});
