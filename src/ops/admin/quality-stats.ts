// The Quality page's statistics: mean rating with a 95 % interval per group, and the rule that flags a prompt
// version rating worse than the one before it.
//
// Interval: mean ± t(0.975, n−1) · s / √n (s the sample standard deviation), Student's t for small groups.
// Flag: within one content type × target language × level × model, versions are ordered by their first rated
// generation; a version is flagged when it and the previous one each have at least MIN_RATINGS ratings and the
// 95 % interval of the difference of their means (Welch: difference ± 1.96 · √(s₁²/n₁ + s₂²/n₂)) lies entirely
// below zero, i.e. it rates worse with 95 % confidence (two-sided), not by chance.
import type { QualityRow } from '../../core/repositories/dashboard-repository.ts';

export const MIN_RATINGS = 10;

export interface QualityGroup extends QualityRow {
  mean: number;
  sd: number;
  low: number;
  high: number;
  /** The version before this one in its group, when this one rates worse than it with confidence. */
  worseThan?: string;
}

// t(0.975, df) for df = 1…30; beyond that 1.96 is close enough.
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

function tQuantile(df: number): number {
  return df >= 1 && df <= T_975.length ? T_975[df - 1]! : 1.96;
}

export function describe(row: QualityRow): QualityGroup {
  const n = row.count;
  const mean = n > 0 ? row.sum / n : 0;
  const variance = n > 1 ? Math.max(0, (row.sumSquares - n * mean * mean) / (n - 1)) : 0;
  const sd = Math.sqrt(variance);
  const half = n > 1 ? tQuantile(n - 1) * (sd / Math.sqrt(n)) : Number.NaN;
  return { ...row, mean, sd, low: Math.max(1, mean - half), high: Math.min(5, mean + half) };
}

/** Describes every group and flags the versions that rate worse than their predecessor (see the file comment). */
export function qualityGroups(rows: QualityRow[]): QualityGroup[] {
  const groups = rows.map(describe);
  const families = new Map<string, QualityGroup[]>();
  for (const g of groups) {
    const key = [g.contentType, g.targetLanguage, g.level, g.model].join('\u0000');
    families.set(key, [...(families.get(key) ?? []), g]);
  }
  for (const family of families.values()) {
    family.sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
    for (let i = 1; i < family.length; i += 1) {
      const previous = family[i - 1]!;
      const current = family[i]!;
      if (worseWithConfidence(previous, current)) current.worseThan = previous.promptVersion;
    }
  }
  return groups;
}

export function worseWithConfidence(previous: QualityGroup, current: QualityGroup): boolean {
  if (previous.count < MIN_RATINGS || current.count < MIN_RATINGS) return false;
  const difference = current.mean - previous.mean;
  const se = Math.sqrt((previous.sd * previous.sd) / previous.count + (current.sd * current.sd) / current.count);
  return difference + 1.96 * se < 0;
}

export const QUALITY_RULE =
  `95 % interval: mean ± t(0.975, n−1)·s/√n. A version is flagged when it and the previous version of the same content type, ` +
  `language, level and model each have at least ${MIN_RATINGS} ratings and the 95 % interval of the difference of means ` +
  `(Welch, ±1.96·√(s₁²/n₁+s₂²/n₂)) lies entirely below zero.`;
