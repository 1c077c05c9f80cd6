import { href, html, page, table } from '../html.ts';
import { startOfUtcDay, utcDay } from '../params.ts';
import type { PageContext } from './context.ts';

export const TOP_LEARNERS = 20;

/** Learners appear by their internal number only: no names, no messages unless the operator opens their log. */
export async function learnersPage(c: PageContext): Promise<string> {
  const today = utcDay(c.now);
  const monthStart = `${today.slice(0, 8)}01`;
  const monthStartDate = new Date(`${monthStart}T00:00:00Z`);
  const [todayTop, monthTop, todayRejections] = await Promise.all([
    c.reads.topLearnersByTokens(today, today, TOP_LEARNERS),
    c.reads.topLearnersByTokens(monthStart, today, TOP_LEARNERS),
    c.reads.rejectionsSince(startOfUtcDay(c.now)),
  ]);
  const rejections = await c.reads.rejectionsOf([...new Set([...todayTop, ...monthTop].map((l) => l.userId))], monthStartDate);
  const learnerLink = (id: number) => html`<a href="${href('/admin/activity', { learner: id, from: monthStart, to: today })}">learner ${id}</a>`;
  const rows = (list: typeof todayTop) =>
    list.map((l) => [learnerLink(l.userId), l.tokens, l.calls, rejections.get(l.userId)?.quotaHits ?? 0, rejections.get(l.userId)?.rateLimited ?? 0]);
  const headers = ['learner', 'tokens', 'LLM calls', 'quota hits (month)', 'rate-limited (month)'];
  return page(
    'Learners',
    html`<p>Today (UTC): ${todayRejections.quotaHits} generations refused by the daily quota and ${todayRejections.rateLimited} by the per-minute limit, for ${todayRejections.learners} learners.</p>
<h2>Top learners by tokens today (${today})</h2>${table(headers, rows(todayTop))}
<h2>Top learners by tokens this month (since ${monthStart})</h2>${table(headers, rows(monthTop))}
<p class="note">Learners are shown by number only. Opening one shows their activity log (their queries). Tokens and calls come from daily_usage; quota hits and rate-limit rejections from the activity log's output entries.</p>`,
  );
}
