// The dashboard's charts as PNG, drawn on the server with the chart.js + @napi-rs/canvas stack of /stats.
// Loaded on first use, like /stats does, so a process that never draws never loads the canvas.
import { CONTENT_TYPES } from '../../core/content-types.ts';
import type { DashboardReads } from './cached-reads.ts';
import { DAY_MS } from '../../core/repositories/dashboard-repository.ts';
import { daysSince, startOfUtcDay } from './params.ts';

export const CHART_DAYS = 30;
export const CHARTS = ['generations', 'ratings', 'average-rating', 'tokens'] as const;
export type ChartName = (typeof CHARTS)[number];

const COLORS = ['#2f80ed', '#27ae60', '#f2994a', '#9b51e0', '#eb5757', '#56ccf2'];

/** A drawn chart is served again for this long: per-day figures, and drawing costs ~100 ms of CPU. */
export const CHART_CACHE_MS = 60_000;

export interface ChartCache {
  get(name: ChartName, reads: DashboardReads, now: Date): Promise<Uint8Array>;
}

/** Charts drawn at most once per CHART_CACHE_MS each; concurrent requests share one drawing. */
export function createChartCache(): ChartCache {
  const drawn = new Map<ChartName, { at: number; png: Promise<Uint8Array> }>();
  return {
    get(name, reads, now) {
      const hit = drawn.get(name);
      if (hit && now.getTime() - hit.at < CHART_CACHE_MS && now.getTime() >= hit.at) return hit.png;
      const png = drawChart(name, reads, now);
      drawn.set(name, { at: now.getTime(), png });
      png.catch(() => drawn.delete(name));
      return png;
    },
  };
}

export async function drawChart(name: ChartName, reads: DashboardReads, now: Date): Promise<Uint8Array> {
  const since = new Date(startOfUtcDay(now).getTime() - (CHART_DAYS - 1) * DAY_MS);
  const days = daysSince(since, now);
  const labels = days.map((d) => d.slice(5));
  const { renderBarChart } = await import('../../core/charts/bar-chart.ts');
  if (name === 'generations') {
    const rows = await reads.generationsPerDay(since);
    const types = CONTENT_TYPES.filter((t) => rows.some((r) => r.key === t));
    const series = types.map((type, i) => ({
      label: type,
      color: COLORS[i % COLORS.length]!,
      values: days.map((d) => rows.find((r) => r.day === d && r.key === type)?.count ?? 0),
    }));
    return renderBarChart({ title: `Generations per day (UTC), last ${CHART_DAYS} days`, labels, series });
  }
  if (name === 'ratings' || name === 'average-rating') {
    const rows = await reads.ratingsPerDay(since);
    const byDay = new Map(rows.map((r) => [r.day, r]));
    return name === 'ratings'
      ? renderBarChart({ title: 'Ratings per day', labels, series: [{ label: 'ratings', color: COLORS[0]!, values: days.map((d) => byDay.get(d)?.count ?? 0) }] })
      : renderBarChart({ title: 'Average rating per day (1–5)', labels, series: [{ label: 'average rating', color: COLORS[1]!, values: days.map((d) => round(byDay.get(d)?.average ?? 0)) }] });
  }
  const rows = await reads.tokensPerDay(since);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return renderBarChart({
    title: 'LLM tokens per day',
    labels,
    series: [
      { label: 'prompt', color: COLORS[0]!, values: days.map((d) => byDay.get(d)?.promptTokens ?? 0) },
      { label: 'completion', color: COLORS[2]!, values: days.map((d) => byDay.get(d)?.completionTokens ?? 0) },
    ],
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
