// The dashboard's per-day series (tokens, generations, ratings per UTC day) with the closed days kept in
// memory: a past day's figures hardly change, so a request reads only today's rows (a few thousand at most)
// instead of 30 days of the activity log. The whole window is read again every REFRESH_MS (late writes: another
// process's buffered activity-log entries, a rating changed) and when the UTC day changes. Warmed when the
// dashboard is mounted. Each process keeps its own copy; everything else is read from the database each time.
import type { DashboardRepository, DayCount, RatingDay, TokenDay } from '../../core/repositories/dashboard-repository.ts';
import { startOfUtcDay, utcDay } from './params.ts';

export const REFRESH_MS = 10 * 60_000;

export type DashboardReads = Pick<
  DashboardRepository,
  | 'activeLearners'
  | 'generationsPerDay'
  | 'ratingsPerDay'
  | 'tokensPerDay'
  | 'quality'
  | 'worstItems'
  | 'topLearnersByTokens'
  | 'rejectionsOf'
  | 'rejectionsSince'
  | 'searchActivity'
  | 'feedbackForExport'
>;

interface Closed<T> {
  from: number;
  today: string;
  at: number;
  rows: Promise<T[]>;
}

/** `load(since)` with the days before today served from memory once read. */
function closedDays<T extends { day: string }>(load: (since: Date) => Promise<T[]>, now: () => Date): (since: Date) => Promise<T[]> {
  let closed: Closed<T> | undefined;
  return async (since) => {
    const at = now();
    const today = utcDay(at);
    if (!closed || closed.today !== today || closed.from > since.getTime() || at.getTime() - closed.at > REFRESH_MS) {
      const all = load(since);
      const entry: Closed<T> = { from: since.getTime(), today, at: at.getTime(), rows: all.then((rows) => rows.filter((r) => r.day < today)) };
      closed = entry;
      all.catch(() => {
        if (closed === entry) closed = undefined;
      });
      return all;
    }
    const sinceDay = utcDay(since);
    const [past, current] = await Promise.all([closed.rows, load(startOfUtcDay(at))]);
    return [...past.filter((r) => r.day >= sinceDay), ...current];
  };
}

export function cachedReads(reads: DashboardRepository, now: () => Date): DashboardReads {
  const tokensPerDay = closedDays<TokenDay>((since) => reads.tokensPerDay(since), now);
  const generationsPerDay = closedDays<DayCount>((since) => reads.generationsPerDay(since), now);
  const ratingsPerDay = closedDays<RatingDay>((since) => reads.ratingsPerDay(since), now);
  return {
    activeLearners: (since) => reads.activeLearners(since),
    generationsPerDay,
    ratingsPerDay,
    tokensPerDay,
    quality: (since, maxGroups) => reads.quality(since, maxGroups),
    worstItems: (filter) => reads.worstItems(filter),
    topLearnersByTokens: (fromDay, toDay, limit) => reads.topLearnersByTokens(fromDay, toDay, limit),
    rejectionsOf: (userIds, since) => reads.rejectionsOf(userIds, since),
    rejectionsSince: (since) => reads.rejectionsSince(since),
    searchActivity: (search) => reads.searchActivity(search),
    feedbackForExport: (from, to, limit) => reads.feedbackForExport(from, to, limit),
  };
}
