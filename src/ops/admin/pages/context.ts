import type { DashboardReads } from '../cached-reads.ts';

/** What a page needs: the dashboard's reads, the clock, and the model's prices for cost estimates. */
export interface PageContext {
  reads: DashboardReads;
  now: Date;
  query: URLSearchParams;
  prices: { inputPerMTok: number; outputPerMTok: number };
}
