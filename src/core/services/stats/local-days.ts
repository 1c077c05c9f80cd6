// Calendar arithmetic on 'YYYY-MM-DD' local dates. Dates are shifted as UTC calendar dates, so daylight
// saving changes (23- or 25-hour days) never skip or repeat a day.

const DAY_MS = 86_400_000;

/** '2026-03-01' shifted by `days` (negative: earlier). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The `count` local dates that end with `today`, oldest first. */
export function lastDays(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftDay(today, i - count + 1));
}

/**
 * Consecutive active days ending today. A streak that ended yesterday still counts: the learner has the
 * rest of today to keep it going, and a morning /stats should not show 0.
 */
export function streakLength(active: ReadonlySet<string>, today: string): number {
  let day = active.has(today) ? today : shiftDay(today, -1);
  let count = 0;
  while (active.has(day)) {
    count += 1;
    day = shiftDay(day, -1);
  }
  return count;
}
