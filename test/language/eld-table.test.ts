// The compact eld database (src/core/language/eld-table.ts) against eld's own module: the same n-grams with the
// same scores, and the same answers on the labelled set.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCompactEld, parseEldDatabase } from '../../src/core/language/eld-table.ts';
import { eldIdentifier, type Identified } from '../../src/core/language/detector.ts';
import { HARD_CASES, SENTENCES } from './labelled-sentences.ts';

type Eld = Parameters<typeof eldIdentifier>[0];

describe('compact eld database', () => {
  it('holds every n-gram of eld/extrasmall with the same scores, and nothing else', async () => {
    const { ngramsData } = (await import(new URL('../ngrams/extrasmall.js', import.meta.resolve('eld')).href)) as {
      ngramsData: { type: string; languages: Record<number, string>; ngrams: Record<string, Record<number, number>> };
    };
    const source = await readFile(new URL('../ngrams/extrasmall.js', import.meta.resolve('eld')), 'utf8');
    const compact = parseEldDatabase(source);
    expect(compact.type).toBe(ngramsData.type);
    expect(compact.languages).toEqual(ngramsData.languages);
    const keys = Object.keys(ngramsData.ngrams);
    expect(keys.length).toBeGreaterThan(45_000);
    expect(keys.some((key) => key.includes("'"))).toBe(true); // escaped quotes are covered
    for (const key of keys) {
      if (JSON.stringify(compact.ngrams[key]) !== JSON.stringify(ngramsData.ngrams[key])) {
        expect({ key, scores: compact.ngrams[key] }).toEqual({ key, scores: ngramsData.ngrams[key] });
      }
    }
    expect(compact.ngrams['not an n-gram']).toBeUndefined();
  });

  it('identifies every labelled sentence and hard case exactly as eld/extrasmall does', async () => {
    const reference = eldIdentifier((await import('eld/extrasmall')).eld as Eld);
    const compact = eldIdentifier((await loadCompactEld()) as Eld);
    const texts = [...Object.values(SENTENCES).flat(), ...HARD_CASES.map((c) => c.text)];
    expect(texts.length).toBeGreaterThan(300);
    // What a caller can read of a result: its language, and the scores and reliability worked out on demand.
    const seen = (found: Identified) => ({ language: found.language, scores: found.scores, reliable: found.reliable });
    for (const text of texts) expect(seen(compact.identify(text))).toEqual(seen(reference.identify(text)));
    expect(compact.supports('es')).toBe(true);
    expect(compact.supports('nb')).toBe(true);
    expect(compact.supports('xx')).toBe(false);
  });
});
