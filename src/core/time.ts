// Local calendar days in a learner's time zone (Intl, no library needed for this much).

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD' of `date` in the IANA time zone. */
export function localDate(date: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(date);
}

/** The hour (0–23) of `date` in the time zone. */
export function localHour(date: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(date);
  return Number(hour) % 24;
}

/** The instant the next local day starts in the time zone. */
export function startOfNextLocalDay(date: Date, timeZone: string): Date {
  const today = localDate(date, timeZone);
  // Binary search for the first millisecond of another date (no day is longer than 26 h, DST included).
  let lo = date.getTime();
  let hi = lo + 26 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(new Date(mid), timeZone) === today) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** 'europe/madrid' → 'Europe/Madrid' (as ICU spells it). */
export function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
}
