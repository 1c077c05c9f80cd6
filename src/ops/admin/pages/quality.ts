import { DAY_MS } from '../../../core/repositories/dashboard-repository.ts';
import { href, html, page, raw, table } from '../html.ts';
import { intParam } from '../params.ts';
import { QUALITY_RULE, qualityGroups, type QualityGroup } from '../quality-stats.ts';
import type { PageContext } from './context.ts';

/** Groups shown at most (the busiest first). */
export const MAX_GROUPS = 500;

const COLUMNS: Array<[keyof QualityGroup, string]> = [
  ['contentType', 'content type'],
  ['promptVersion', 'prompt version'],
  ['targetLanguage', 'language'],
  ['level', 'level'],
  ['model', 'model'],
  ['count', 'ratings'],
  ['mean', 'average'],
  ['low', '95 % interval'],
];

export async function qualityData(c: PageContext): Promise<{ days: number; groups: QualityGroup[] }> {
  const days = intParam(c.query, 'days', 90, 1, 365);
  const groups = qualityGroups(await c.reads.quality(new Date(c.now.getTime() - days * DAY_MS), MAX_GROUPS));
  const sort = (COLUMNS.find(([key]) => key === c.query.get('sort'))?.[0] ?? 'mean') as keyof QualityGroup;
  const direction = c.query.get('dir') === 'desc' ? -1 : 1;
  groups.sort((a, b) => {
    const x = a[sort];
    const y = b[sort];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * direction;
  });
  return { days, groups };
}

export async function qualityPage(c: PageContext): Promise<string> {
  const { days, groups } = await qualityData(c);
  const current = c.query.get('sort') ?? 'mean';
  const dir = c.query.get('dir') === 'desc' ? 'desc' : 'asc';
  const headers = [
    ...COLUMNS.map(([key, label]) => {
      const next = key === current && dir === 'asc' ? 'desc' : 'asc';
      return html`<a href="${href('/admin/quality', { days, sort: key, dir: next })}">${label}${key === current ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</a>`;
    }),
    'flag',
  ];
  const rows = groups.map((g) => [
    g.contentType,
    g.promptVersion,
    g.targetLanguage,
    g.level,
    g.model,
    g.count,
    g.mean.toFixed(2),
    Number.isNaN(g.low) || g.count < 2 ? '—' : `${g.low.toFixed(2)} – ${g.high.toFixed(2)}`,
    g.worseThan ? html`<span class="flag">worse than ${g.worseThan}</span>` : raw(''),
  ]);
  return page(
    'Quality',
    html`<form class="filters" method="get" action="/admin/quality"><label>Ratings of the last … days<input name="days" type="number" min="1" max="365" value="${days}"></label><button type="submit">Show</button></form>
${table(headers, rows)}
<p class="note">${QUALITY_RULE} Groups: the ${MAX_GROUPS} with the most ratings. <a href="${href('/admin/export/quality.csv', { days })}">Download as CSV</a></p>`,
  );
}
