import type { ActivityCursor } from '../../../core/repositories/dashboard-repository.ts';
import { href, html, page, table } from '../html.ts';
import { contentType, dayRange, intParam, language } from '../params.ts';
import type { PageContext } from './context.ts';
import { filterForm } from './worst.ts';

export const ACTIVITY_PAGE_SIZE = 50;
/** Entries read at most per page: the bound of a search for a rare text. */
export const ACTIVITY_SCAN_LIMIT = 10_000;

function cursorOf(value: string | null): ActivityCursor | undefined {
  const match = /^(\d{1,15})_([A-Za-z0-9-]{1,64})$/.exec(value ?? '');
  return match ? { timestamp: new Date(Number(match[1])), id: match[2]! } : undefined;
}

export async function activityPage(c: PageContext): Promise<string> {
  const range = dayRange(c.query, c.now, 7, 366);
  const type = contentType(c.query);
  const lang = language(c.query);
  const text = (c.query.get('q') ?? '').trim().slice(0, 200);
  const learner = intParam(c.query, 'learner', 0, 1, Number.MAX_SAFE_INTEGER);
  const after = cursorOf(c.query.get('after'));
  const result = await c.reads.searchActivity({
    from: range.from,
    to: range.to,
    ...(type ? { contentType: type } : {}),
    ...(lang ? { language: lang } : {}),
    ...(text ? { text } : {}),
    ...(learner ? { userId: learner } : {}),
    ...(after ? { after } : {}),
    limit: ACTIVITY_PAGE_SIZE,
    scanLimit: ACTIVITY_SCAN_LIMIT,
  });
  const meta = (m: unknown) => {
    if (!m || typeof m !== 'object') return '';
    const r = m as Record<string, unknown>;
    return r.ok === false ? `error: ${String(r.error)}` : [r.model, r.promptVersion && `prompt ${String(r.promptVersion)}`, r.promptTokens !== undefined && `${String(r.promptTokens)}+${String(r.completionTokens)} tokens`].filter(Boolean).join(' · ');
  };
  const rows = result.rows.map((r) => [r.timestamp.toISOString(), html`<a href="${href('/admin/activity', { learner: r.userId, from: range.fromDay, to: range.toDay })}">${r.userId}</a>`, r.contentType, r.direction, `${r.targetLanguage}${r.baseLanguage ? ` / ${r.baseLanguage}` : ''}`, r.queryText, meta(r.responseMetadata)]);
  const params = { from: range.fromDay, to: range.toDay, type, lang, q: text, learner: learner || undefined };
  const next = result.next ? html`<a class="next" href="${href('/admin/activity', { ...params, after: `${result.next.timestamp.getTime()}_${result.next.id}` })}">Older entries →</a>` : html`<span class="note">End of the range.</span>`;
  const bounded = result.rows.length < ACTIVITY_PAGE_SIZE && result.next ? html` Read the ${result.scanned} newest entries of the range for this page; the next page goes on from there.` : html``;
  return page(
    'Activity log',
    html`${filterForm('/admin/activity', c, range, html`<label>Query text<input name="q" value="${text}"></label><label>Learner<input name="learner" size="6" value="${learner || ''}"></label>`)}
${table(['time (UTC)', 'learner', 'type', 'direction', 'languages', 'query', 'response'], rows)}
<p>${next} <a href="${href('/admin/activity', params)}">Newest</a></p>
<p class="note">Newest first, ${ACTIVITY_PAGE_SIZE} a page, paged by (time, id) rather than by offset.${bounded}</p>`,
  );
}
