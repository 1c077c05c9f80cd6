import type { LearnerStats } from '../stats.ts';

export interface StatsChartTexts {
  title: string;
  requests: string;
  reviews: string;
}

/**
 * The /stats picture: requests and reviews per local day, as an 800×400 PNG. The chart libraries (a native
 * canvas among them, ~20 MB) load on the first /stats, not at start-up.
 */
export async function renderStatsChart(stats: LearnerStats, texts: StatsChartTexts): Promise<Uint8Array> {
  const { renderBarChart } = await import('../../charts/bar-chart.ts');
  return renderBarChart({
    title: texts.title,
    // 'MM-DD': short enough for 30 labels, and the same in every language.
    labels: stats.days.map((d) => d.date.slice(5)),
    series: [
      { label: texts.requests, values: stats.days.map((d) => d.requests), color: '#4e79a7' },
      { label: texts.reviews, values: stats.days.map((d) => d.reviews), color: '#f28e2b' },
    ],
    width: 800,
    height: 400,
  });
}
