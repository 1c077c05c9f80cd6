// Query parameters of the dashboard, each parsed into a bounded value: a bad or missing one falls back to the
// default, so no parameter can widen a query beyond its limit.
import { CONTENT_TYPES } from '../../core/content-types.ts';
import { DAY_MS } from '../../core/repositories/dashboard-repository.ts';

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** A [from, to) range of whole UTC days from `from` and `to` (YYYY-MM-DD, `to` inclusive), at most maxDays long. */
export function dayRange(query: URLSearchParams, now: Date, defaultDays: number, maxDays: number): { from: Date; to: Date; fromDay: string; toDay: string } {
  const parse = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? new Date(`${value}T00:00:00Z`) : undefined);
  const toStart = parse(query.get('to')) ?? startOfUtcDay(now);
  const to = new Date(toStart.getTime() + DAY_MS);
  let from = parse(query.get('from')) ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from >= to) from = new Date(to.getTime() - DAY_MS);
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) from = new Date(to.getTime() - maxDays * DAY_MS);
  return { from, to, fromDay: utcDay(from), toDay: utcDay(toStart) };
}

export function contentType(query: URLSearchParams): string | undefined {
  const value = query.get('type') ?? '';
  return (CONTENT_TYPES as readonly string[]).includes(value) ? value : undefined;
}

export function language(query: URLSearchParams): string | undefined {
  const value = (query.get('lang') ?? '').trim().toLowerCase();
  return /^[a-z]{2,3}$/.test(value) ? value : undefined;
}

export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const value = Number(query.get(name));
  return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

/** The days from `since` up to today, for chart labels. */
export function daysSince(since: Date, now: Date): string[] {
  const days: string[] = [];
  for (let t = startOfUtcDay(since).getTime(); t <= now.getTime(); t += DAY_MS) days.push(utcDay(new Date(t)));
  return days;
}
