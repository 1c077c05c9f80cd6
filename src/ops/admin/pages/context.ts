import type { DashboardRepository } from '../../../core/repositories/dashboard-repository.ts';

/** What a page needs: the dashboard's reads, the clock, and the model's prices for cost estimates. */
export interface PageContext {
  reads: DashboardRepository;
  now: Date;
  query: URLSearchParams;
  prices: { inputPerMTok: number; outputPerMTok: number };
}
