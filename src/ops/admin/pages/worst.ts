import { CONTENT_TYPES } from '../../../core/content-types.ts';
import { contentText } from '../content-text.ts';
import { html, page, type Html } from '../html.ts';
import { contentType, dayRange, language } from '../params.ts';
import type { PageContext } from './context.ts';

export const WORST_LIMIT = 20;

export function filterForm(action: string, c: PageContext, range: { fromDay: string; toDay: string }, extra: Html = html``): Html {
  const type = contentType(c.query);
  return html`<form class="filters" method="get" action="${action}">
<label>From<input type="date" name="from" value="${range.fromDay}"></label>
<label>To<input type="date" name="to" value="${range.toDay}"></label>
<label>Type<select name="type"><option value="">any</option>${CONTENT_TYPES.map((t) => html`<option value="${t}"${t === type ? html` selected` : ''}>${t}</option>`)}</select></label>
<label>Language<input name="lang" size="4" value="${language(c.query) ?? ''}" placeholder="es"></label>
${extra}<button type="submit">Filter</button></form>`;
}

export async function worstPage(c: PageContext): Promise<string> {
  const range = dayRange(c.query, c.now, 7, 90);
  const type = contentType(c.query);
  const lang = language(c.query);
  const items = await c.reads.worstItems({ from: range.from, to: range.to, ...(type ? { contentType: type } : {}), ...(lang ? { language: lang } : {}), limit: WORST_LIMIT });
  const body = items.map(
    (item) => html`<article class="worst"><h2>#${item.generationId} · ${item.average.toFixed(2)} / 5 from ${item.ratings} rating${item.ratings === 1 ? '' : 's'}</h2>
<table><tbody>
<tr><th>query</th><td class="query">${item.queryText}</td></tr>
<tr><th>type</th><td>${item.contentType}</td></tr>
<tr><th>languages</th><td>${item.targetLanguage} (base ${item.baseLanguage})</td></tr>
<tr><th>level</th><td>${item.level}</td></tr>
<tr><th>prompt version</th><td class="prompt-version">${item.promptVersion ?? '—'}</td></tr>
<tr><th>model</th><td>${item.model ?? '—'}</td></tr>
<tr><th>made</th><td>${item.createdAt.toISOString()}</td></tr>
<tr><th>content</th><td><pre>${contentText(item.content)}</pre></td></tr>
<tr><th>feedback</th><td>${item.feedback.length ? item.feedback.map((text) => html`<p>${text}</p>`) : '—'}</td></tr>
</tbody></table></article>`,
  );
  return page(
    'Worst items',
    html`${filterForm('/admin/worst', c, range)}
<p class="note">The ${WORST_LIMIT} lowest-rated generations among the ratings given in the range (at most 90 days), lowest average first.</p>
${items.length ? body : html`<p>No ratings in this range.</p>`}`,
  );
}
