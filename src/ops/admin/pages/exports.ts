import { toCsv } from '../csv.ts';
import { href, html, page } from '../html.ts';
import { dayRange } from '../params.ts';
import type { PageContext } from './context.ts';
import { qualityData } from './quality.ts';

/** Rows in one feedback export at most; a longer range is cut (the page says so). */
export const FEEDBACK_EXPORT_LIMIT = 100_000;

export function exportsPage(c: PageContext): string {
  const range = dayRange(c.query, c.now, 30, 366);
  return page(
    'CSV exports',
    html`<ul>
<li><a href="${href('/admin/export/feedback.csv', { from: range.fromDay, to: range.toDay })}">Feedback with its context</a> (ratings and texts from ${range.fromDay} to ${range.toDay}, at most ${FEEDBACK_EXPORT_LIMIT} rows)</li>
<li><a href="${href('/admin/export/quality.csv', { days: 90 })}">Quality table</a> (ratings of the last 90 days)</li>
</ul>
<form class="filters" method="get" action="/admin/export/feedback.csv"><label>From<input type="date" name="from" value="${range.fromDay}"></label><label>To<input type="date" name="to" value="${range.toDay}"></label><button type="submit">Download feedback</button></form>
<p class="note">Cells starting with = + - or @ get a leading ' so that spreadsheets do not run them as formulas.</p>`,
  );
}

export async function feedbackCsv(c: PageContext): Promise<string> {
  const range = dayRange(c.query, c.now, 30, 366);
  const rows = await c.reads.feedbackForExport(range.from, range.to, FEEDBACK_EXPORT_LIMIT);
  return toCsv(
    ['feedback_id', 'timestamp', 'learner', 'rating', 'feedback_text', 'generation_id', 'content_type', 'query', 'target_language', 'base_language', 'level', 'prompt_version', 'model'],
    rows.map((r) => [r.feedbackId, r.timestamp, r.userId, r.rating, r.feedbackText, r.generationId, r.contentType, r.queryText, r.targetLanguage, r.baseLanguage, r.level, r.promptVersion, r.model]),
  );
}

export async function qualityCsv(c: PageContext): Promise<string> {
  const { groups } = await qualityData(c);
  return toCsv(
    ['content_type', 'prompt_version', 'target_language', 'level', 'model', 'ratings', 'average', 'ci95_low', 'ci95_high', 'worse_than_version'],
    groups.map((g) => [g.contentType, g.promptVersion, g.targetLanguage, g.level, g.model, g.count, g.mean.toFixed(3), g.count > 1 ? g.low.toFixed(3) : '', g.count > 1 ? g.high.toFixed(3) : '', g.worseThan ?? '']),
  );
}
