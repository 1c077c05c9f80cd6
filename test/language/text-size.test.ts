// The length rule's counts (wrong-language.ts textSize, one pass over the text) equal what the regular
// expressions it replaced count, on random texts mixing every script and kind of character the rule tells
// apart. Replay with FUZZ_SEED=<seed>.
import { describe, expect, it } from 'vitest';
import { textSize, type TextSize } from '../../src/core/language/wrong-language.ts';
import { createPrng, seedFrom } from '../support/prng.ts';

const SEED = seedFrom(process.env.FUZZ_SEED, 0x7e57_5123);

/** The counts as the rule first wrote them. */
function byRegularExpressions(text: string): TextSize {
  const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;
  return {
    words: text.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length,
    unspaced: text.match(unspaced)?.length ?? 0,
    letters: text.match(/\p{L}/gu)?.length ?? 0,
  };
}

const ALPHABET = [
  ...'aZz@[`{09 .,!?-\'"',
  ...'ñéÅßøçœ', // Latin letters beyond ASCII
  ...'приветΩλ', // Cyrillic, Greek
  ...'中文字々〇', // Han (々 is a letter, 〇 a number of the Han script)
  ...'ひらがなカタカナ・ー', // kana, the middle dot (Common), the long-vowel mark (a letter)
  ...'ภาษาไทย่้๑', // Thai letters, tone marks (Mn), a Thai digit
  ...'ភាសាខ្មែរ', // Khmer, with its signs
  ...'မြန်မာ', // Myanmar, with its signs
  ...'ລາວ', // Lao
  ...'é', // a combining accent
  '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2003', '\u2028', '\u202f', '\u3000', '\ufeff', '\u200b', // white space, and a zero-width space that is not
  '😀', '𝒜', '𠀀', // outside the BMP: an emoji, a mathematical letter, a Han extension letter
  '\ud800', '\udfff', // lone surrogates
];

describe('the length rule counts', () => {
  it(`equal the regular expressions' counts on 5 000 random texts (seed ${SEED})`, () => {
    const prng = createPrng(SEED);
    for (let i = 0; i < 5_000; i++) {
      const text = prng.string(ALPHABET, 0, 60);
      expect(textSize(text), JSON.stringify(text)).toEqual(byRegularExpressions(text));
    }
  });

  it('count sentences of the scripts the rule treats apart as the regular expressions do', () => {
    for (const text of ['Calienta la sartén antes de echar el aceite.', 'ฉันชอบกินข้าวผัดมาก', '私は毎朝コーヒーを飲みます。', '  two  words  ', '', 'Ça va? Très bien — merci!']) {
      expect(textSize(text)).toEqual(byRegularExpressions(text));
    }
  });
});
