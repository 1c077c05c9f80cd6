// `/admin` in a private chat, for the operators named in ADMIN_USER_IDS: today's figures and the five
// worst-rated items of the week, read from the shared database (the dashboard's repository), with a chart of
// generations per day. Everyone else gets the answer an unknown command gets (src/commands/operator.ts).
import type { DashboardRepository, WorstItem } from '../repositories/dashboard-repository.ts';
import { DAY_MS } from '../repositories/dashboard-repository.ts';
import type { Platform, UserRef } from '../types.ts';

export interface OperatorFigures {
  day: string;
  activeDay: number;
  activeWeek: number;
  generations: number;
  ratings: number;
  averageRating: number;
  promptTokens: number;
  completionTokens: number;
  quotaHits: number;
  rateLimited: number;
  worst: WorstItem[];
  /** Generations per UTC day, the last 14 days, oldest first. */
  perDay: Array<{ day: string; count: number }>;
}

export const CHAT_CHART_DAYS = 14;

/** "telegram:123, discord:456" → the set of "platform:id" strings. */
export function parseOperatorIds(list: string | undefined): Set<string> {
  return new Set((list ?? '').split(/[\s,]+/).filter(Boolean));
}

export class OperatorReportService {
  constructor(
    private readonly reads: DashboardRepository,
    private readonly operators: ReadonlySet<string>,
    private readonly clock: () => Date,
  ) {}

  /** An operator asking from a private chat; nobody else (a group would show the figures to everyone). */
  allows(user: UserRef, isGroup: boolean): boolean {
    return !isGroup && this.operators.has(`${user.platform satisfies Platform}:${user.externalId}`);
  }

  async figures(): Promise<OperatorFigures> {
    const now = this.clock();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const since = new Date(today.getTime() - (CHAT_CHART_DAYS - 1) * DAY_MS);
    const [[activeDay = 0, activeWeek = 0], perType, ratings, tokens, refusals, worst] = await Promise.all([
      this.reads.activeLearners([new Date(now.getTime() - DAY_MS), new Date(now.getTime() - 7 * DAY_MS)]),
      this.reads.generationsPerDay(since),
      this.reads.ratingsPerDay(today),
      this.reads.tokensPerDay(today),
      this.reads.rejectionsSince(today),
      this.reads.worstItems({ from: new Date(today.getTime() - 6 * DAY_MS), to: new Date(today.getTime() + DAY_MS), limit: 5 }),
    ]);
    const day = today.toISOString().slice(0, 10);
    const perDay: OperatorFigures['perDay'] = [];
    for (let t = since.getTime(); t <= today.getTime(); t += DAY_MS) {
      const d = new Date(t).toISOString().slice(0, 10);
      perDay.push({ day: d, count: perType.filter((r) => r.day === d).reduce((n, r) => n + r.count, 0) });
    }
    const todayRatings = ratings.find((r) => r.day === day);
    const todayTokens = tokens.find((r) => r.day === day);
    return {
      day,
      activeDay,
      activeWeek,
      generations: perDay.at(-1)?.count ?? 0,
      ratings: todayRatings?.count ?? 0,
      averageRating: todayRatings?.average ?? 0,
      promptTokens: todayTokens?.promptTokens ?? 0,
      completionTokens: todayTokens?.completionTokens ?? 0,
      quotaHits: refusals.quotaHits,
      rateLimited: refusals.rateLimited,
      worst,
      perDay,
    };
  }

  /** A bar chart of generations per day (PNG), drawn with the /stats chart stack. */
  async chart(figures: OperatorFigures, title: string): Promise<Uint8Array> {
    const { renderBarChart } = await import('../charts/bar-chart.ts');
    return renderBarChart({
      title,
      labels: figures.perDay.map((d) => d.day.slice(5)),
      series: [{ label: title, color: '#2f80ed', values: figures.perDay.map((d) => d.count) }],
      width: 640,
      height: 320,
    });
  }
}
