// Text helpers for matching language and level names: folding (case, diacritics, punctuation),
// tokenising free text, and a bounded edit distance for typo suggestions.

const SPECIAL_LETTERS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_APOSTROPHES = /['`]/g;
/** What `[^\p{L}\p{N}\p{M}+]+` matches in ASCII text: anything but letters, digits and '+'. */
const ASCII_SEPARATORS = /[^a-z0-9+]+/g;

/**
 * Folds text for comparison: compatibility forms (full-width letters), case, Latin/Greek/Cyrillic diacritics
 * (only the combining block U+0300–U+036F, so vowel signs of Indic scripts survive), apostrophes, and any other
 * punctuation or whitespace run becomes one space. '+' is kept so 'B1+' survives.
 */
export function fold(text: string): string {
  // Plain ASCII (most card words, commands, level names): the same result without the two Unicode
  // normalisations and three Unicode-aware passes, which made folding a short word cost microseconds.
  if (ASCII_ONLY.test(text)) return text.toLowerCase().replace(ASCII_APOSTROPHES, '').replace(ASCII_SEPARATORS, ' ').trim();
  return foldUnicode(text);
}

/** fold() for any text, without the ASCII shortcut (exported for the test that compares the two). */
export function foldUnicode(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[øæœßłđðþı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/['’‘ʼʻ`´]/g, '')
    .replace(/[^\p{L}\p{N}\p{M}+]+/gu, ' ')
    .trim();
}

/** Removes parenthesised parts, ASCII or full-width: 'Portuguese (Brazil)' → 'Portuguese', '中文（台灣）' → '中文'. */
export function stripParentheses(text: string): string {
  return text.replace(/\s*[(（][^)）]*[)）]/g, ' ').trim();
}

export interface Token {
  /** The word as written (for capitalisation checks). */
  readonly raw: string;
  /** The folded word. */
  readonly folded: string;
}

/** A word token, or `null` for a sentence-level break (. , ; : ! ? brackets, quotes, slashes). */
export type QueryToken = Token | null;

const WORD_OR_BREAK = /[\p{L}\p{N}\p{M}'’ʼʻ+]+|[.,;:!?¿¡()[\]{}"“”„«»/|\n]/gu;

/** Splits free text into folded word tokens and `null` breaks. Hyphens and spaces only separate words. */
export function tokenize(text: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  for (const match of text.matchAll(WORD_OR_BREAK)) {
    const raw = match[0];
    if (!/[\p{L}\p{N}]/u.test(raw)) {
      if (tokens.length > 0 && tokens[tokens.length - 1] !== null) tokens.push(null);
      continue;
    }
    // Folding a word can only split it on characters the regex already excluded, but stay safe.
    for (const part of fold(raw).split(' ')) {
      if (part) tokens.push({ raw, folded: part });
    }
  }
  return tokens;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so 'Spansih' is 1 from 'Spanish'),
 * computed over code points. Returns `max + 1` as soon as the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        value = Math.min(value, prevPrev[j - 2]! + 1);
      }
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  const result = prev[t.length]!;
  return result > max ? max + 1 : result;
}
