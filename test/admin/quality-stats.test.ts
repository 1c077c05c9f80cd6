// The Quality page's statistics: the 95 % interval, and the flag on a prompt version that rates worse than the
// previous one with enough ratings (and only then). Plus the CSV cell escaping of the exports.
import { describe, expect, it } from 'vitest';
import type { QualityRow } from '../../src/core/repositories/dashboard-repository.ts';
import { describe as describeRow, MIN_RATINGS, qualityGroups } from '../../src/ops/admin/quality-stats.ts';
import { csvCell } from '../../src/ops/admin/csv.ts';

/** A group whose ratings are `ratings`, first seen on `day`. */
function row(promptVersion: string, ratings: number[], day: number, model = 'm'): QualityRow {
  return {
    contentType: 'flashcards',
    promptVersion,
    targetLanguage: 'es',
    level: 'A2',
    model,
    count: ratings.length,
    sum: ratings.reduce((a, b) => a + b, 0),
    sumSquares: ratings.reduce((a, b) => a + b * b, 0),
    firstSeen: new Date(Date.UTC(2026, 10, day)),
  };
}
const repeat = (values: number[], times: number) => Array.from({ length: times }, () => values).flat();

describe('quality statistics', () => {
  it('gives the mean with a Student-t 95 % interval', () => {
    const g = describeRow(row('a', [4, 5, 3, 4], 1));
    expect(g.mean).toBe(4);
    // s = 0.8165, t(0.975, 3) = 3.182: half-width 1.299
    expect(g.low).toBeCloseTo(2.701, 2);
    expect(g.high).toBe(5); // clipped to the scale
  });

  it('flags a newer version that rates worse with enough ratings, and only then', () => {
    const old = row('old', repeat([4, 5, 4, 5], 5), 1); // 20 ratings, mean 4.5
    const worse = row('new', repeat([2, 3, 2, 3], 5), 5); // 20 ratings, mean 2.5
    const flagged = qualityGroups([worse, old]);
    expect(flagged.find((g) => g.promptVersion === 'new')!.worseThan).toBe('old');
    expect(flagged.find((g) => g.promptVersion === 'old')!.worseThan).toBeUndefined();
    // Too few ratings on the new version: no flag, however low.
    const few = row('new', [1, 1, 1], 5);
    expect(few.count).toBeLessThan(MIN_RATINGS);
    expect(qualityGroups([old, few]).find((g) => g.promptVersion === 'new')!.worseThan).toBeUndefined();
    // Slightly lower but within noise: no flag.
    const similar = row('new', repeat([4, 5, 4, 4, 5, 3], 3), 5);
    expect(qualityGroups([old, similar]).find((g) => g.promptVersion === 'new')!.worseThan).toBeUndefined();
    // Better: no flag. Another model is another family: not compared.
    expect(qualityGroups([worse, row('new2', repeat([5, 5, 4, 5], 5), 9)]).find((g) => g.promptVersion === 'new2')!.worseThan).toBeUndefined();
    expect(qualityGroups([old, row('new', repeat([2, 3, 2, 3], 5), 5, 'other')]).find((g) => g.promptVersion === 'new')!.worseThan).toBeUndefined();
  });
});

describe('CSV cells', () => {
  it('quotes text that a spreadsheet would run as a formula, and quotes separators', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});
