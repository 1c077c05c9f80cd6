// fold() takes a shortcut for plain ASCII text; it must give what the full Unicode folding gives.
import { describe, expect, it } from 'vitest';
import { fold, foldUnicode as unicodeFold } from '../../src/core/language/text.ts';
import { createPrng, seedFrom } from '../support/prng.ts';

const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
const seed = seedFrom(process.env.FUZZ_SEED, 20261202);

describe('fold', () => {
  it('folds plain ASCII as the full folding does', () => {
    for (const text of ["Don't", 'la  Cuchara!', ' B1+ ', 'rock`n`roll', 'A\tB\nC', 'x--y__z', '', '   ', 'ÀB']) {
      expect(fold(text)).toBe(unicodeFold(text));
    }
  });

  it(`folds random ASCII as the full folding does (seed ${seed})`, () => {
    const prng = createPrng(seed);
    for (let i = 0; i < 5000; i++) {
      const text = prng.string(ASCII, 0, 24);
      expect(fold(text), JSON.stringify(text)).toBe(unicodeFold(text));
    }
  });

  it('still folds what is not ASCII: diacritics, special letters, full-width forms', () => {
    expect(fold('Ñandú')).toBe('nandu');
    expect(fold('Straße')).toBe('strasse');
    expect(fold('ＡＢＣ')).toBe('abc');
    expect(fold('l’été')).toBe('lete');
  });
});
