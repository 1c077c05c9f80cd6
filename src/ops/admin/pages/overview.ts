import { DAY_MS } from '../../../core/repositories/dashboard-repository.ts';
import { CHART_DAYS } from '../charts.ts';
import { html, page, table } from '../html.ts';
import { startOfUtcDay, utcDay } from '../params.ts';
import type { PageContext } from './context.ts';

export async function overviewPage(c: PageContext): Promise<string> {
  const now = c.now.getTime();
  const today = startOfUtcDay(c.now);
  const since = new Date(today.getTime() - (CHART_DAYS - 1) * DAY_MS);
  const [active, tokens, rejections] = await Promise.all([
    c.reads.activeLearners([new Date(now - DAY_MS), new Date(now - 7 * DAY_MS), new Date(now - 30 * DAY_MS)]),
    c.reads.tokensPerDay(since),
    c.reads.rejectionsSince(today),
  ]);
  const cost = (p: number, o: number) => (p / 1e6) * c.prices.inputPerMTok + (o / 1e6) * c.prices.outputPerMTok;
  const priced = c.prices.inputPerMTok > 0 || c.prices.outputPerMTok > 0;
  const todays = tokens.find((t) => t.day === utcDay(c.now));
  const total = tokens.reduce((a, t) => ({ p: a.p + t.promptTokens, o: a.o + t.completionTokens }), { p: 0, o: 0 });
  const rows = [...tokens]
    .sort((a, b) => b.day.localeCompare(a.day))
    .map((t) => [t.day, t.promptTokens, t.completionTokens, priced ? `$${cost(t.promptTokens, t.completionTokens).toFixed(4)}` : '—']);
  const figure = (label: string, value: unknown) => html`<div class="figure">${label}<b>${value}</b></div>`;
  return page(
    'Overview',
    html`<div class="figures">
${figure('Active learners, last 24 h', active[0])}${figure('last 7 days', active[1])}${figure('last 30 days', active[2])}
${figure('Tokens today (prompt + completion)', (todays?.promptTokens ?? 0) + (todays?.completionTokens ?? 0))}
${figure(`Estimated cost, last ${CHART_DAYS} days`, priced ? `$${cost(total.p, total.o).toFixed(2)}` : 'set LLM_PRICE_*_PER_MTOK')}
${figure('Quota hits today', rejections.quotaHits)}${figure('Rate-limited today', rejections.rateLimited)}
</div>
<h2>Generations per day by content type</h2><img class="chart" src="/admin/chart/generations.png" alt="Generations per day by content type" width="800" height="400">
<h2>Ratings per day</h2><img class="chart" src="/admin/chart/ratings.png" alt="Ratings per day" width="800" height="400">
<img class="chart" src="/admin/chart/average-rating.png" alt="Average rating per day" width="800" height="400">
<h2>LLM tokens per day and estimated cost</h2><img class="chart" src="/admin/chart/tokens.png" alt="LLM tokens per day" width="800" height="400">
${table(['day (UTC)', 'prompt tokens', 'completion tokens', 'estimated cost'], rows)}
<p class="note">Days are UTC. Tokens come from the activity log's output entries; the cost uses LLM_PRICE_INPUT_PER_MTOK and LLM_PRICE_OUTPUT_PER_MTOK. No speech is recorded by this version (no voice).</p>`,
  );
}
