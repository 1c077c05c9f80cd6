// Text that came from people or from the model, made safe to store, cut and quote. Both databases must
// accept whatever one of them accepts: PostgreSQL refuses NUL in text and lone surrogates in JSON, SQLite
// takes both, so these rules are applied before anything is stored or sent to the model.

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest prefix of `text` of at most `max` code points that ends on a grapheme boundary.
 *
 * Why code points for the budget: they are what our length limits count (option maxLength, TOPIC_MAX_LENGTH)
 * and a code-point cut can never leave half a surrogate pair (PostgreSQL's JSON refuses one).
 * Why grapheme boundaries for the cut: a flag, a skin-toned or a ZWJ family emoji, or a letter with combining
 * accents is several code points; cutting inside one shows a different character. When the first grapheme
 * alone is longer than `max` (a pile of combining marks), the cut falls back to code points.
 */
export function cutText(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text; // UTF-16 length ≥ code points: already short enough
  let points = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = codePoints(segment);
    if (points + size > max) break;
    points += size;
    end = index + segment.length;
  }
  if (end === 0) return Array.from(text).slice(0, max).join('');
  return text.slice(0, end);
}

/** `cutText` with an ellipsis when something was cut (the ellipsis counts towards `max`). */
export function cutTextWithEllipsis(text: string, max: number): string {
  if (codePoints(text) <= max) return text;
  return `${cutText(text, Math.max(0, max - 1)).trimEnd()}…`;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * C0 controls except tab, line feed and carriage return; DEL; C1 controls; and unpaired surrogates (with the
 * `u` flag a surrogate range matches only halves that are not part of a pair). None of them is text a learner
 * means to write, NUL breaks PostgreSQL text and lone surrogates break its JSON.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/gu;

/** Removes control characters and broken surrogates (see CONTROL). Every text from outside passes here first. */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

/** Whether `text` holds a control character or a broken surrogate that stripControlCharacters would remove. */
export function hasControlCharacters(text: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(text);
  CONTROL.lastIndex = 0;
  return found;
}

/**
 * Characters that show nothing: whitespace, format characters (zero-width space and joiners, bidi marks,
 * BOM, soft hyphen, tag characters), the combining grapheme joiner, Hangul and Braille blank fillers.
 */
const INVISIBLE_ONLY = /^[\s\p{Cf}\u034F\u115F\u1160\u3164\uFFA0\u2800\u180E]*$/u;

/** Text that shows nothing (empty, spaces, zero-width characters only) counts as empty. */
export function isBlank(text: string): boolean {
  return INVISIBLE_ONLY.test(text);
}

/**
 * Invisible characters with no use in any writing system, removed before text goes into a prompt: zero-width
 * space, word joiner and invisible operators, BOM, Mongolian vowel separator, bidi embeddings/overrides/
 * isolates, and the tag block (U+E0000–U+E007F, "ASCII smuggling": instructions a model reads and a person
 * does not see). Zero-width joiner/non-joiner stay: Persian, Indic scripts and emoji sequences need them.
 */
const HIDDEN = /[\u200B\u2060-\u2064\uFEFF\u180E\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}]/gu;

export function stripHiddenCharacters(text: string): string {
  return text.replace(HIDDEN, '');
}

/** Look-alikes of the characters that make a tag, beyond what NFKC already folds (＜ ﹤ ／ ＿ ｌ …). */
const TAG_LOOKALIKES: Record<string, string> = {
  '‹': '<',
  '〈': '<',
  '⟨': '<',
  '˂': '<',
  'ᐸ': '<',
  '❮': '<',
  '›': '>',
  '〉': '>',
  '⟩': '>',
  '˃': '>',
  'ᐳ': '>',
  '❯': '>',
  '∕': '/',
  '⁄': '/',
  '⧸': '/',
  '‗': '_',
};

function skeletonOf(char: string): string {
  const folded = char.normalize('NFKC').toLowerCase();
  return TAG_LOOKALIKES[folded] ?? folded;
}

/**
 * Removes every opening or closing tag named in `names` from `text`, also when written with look-alike or
 * full-width characters, odd case, spaces or hidden characters inside ("＜/learner_text＞", "</LEARNER_TEXT >").
 * Repeats until nothing is left, so "</learner_</learner_text>text>" cannot reassemble a tag. Bounded: each
 * pass removes characters. Text outside the tags is kept as written.
 */
export function removeTags(text: string, names: readonly string[]): string {
  const pattern = new RegExp(`<\\s*/?\\s*(?:${names.join('|')})\\s*>`, 'g');
  let current = stripHiddenCharacters(text);
  for (;;) {
    const chars = Array.from(current);
    let skeleton = '';
    const owner: number[] = [];
    chars.forEach((char, i) => {
      const s = skeletonOf(char);
      for (let k = 0; k < s.length; k++) owner.push(i);
      skeleton += s;
    });
    const drop = new Set<number>();
    for (const match of skeleton.matchAll(pattern)) {
      for (let k = match.index; k < match.index + match[0].length; k++) drop.add(owner[k]!);
    }
    if (drop.size === 0) return current;
    current = chars.filter((_, i) => !drop.has(i)).join('');
  }
}

/**
 * A JSON value (an imported item, a stored snapshot) with control characters and broken surrogates removed
 * from every string, keys included. For /import: call it on each raw item before validating and storing it,
 * so a NUL inside one item neither breaks PostgreSQL mid-import nor drops the rest of the file.
 */
export function stripControlCharactersDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripControlCharacters(value);
  if (Array.isArray(value)) return value.map(stripControlCharactersDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [stripControlCharacters(key), stripControlCharactersDeep(inner)]));
  }
  return value;
}

/** The path ('content.cards.2.word') of the first string holding a control character, for refusing instead. */
export function controlCharacterPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return hasControlCharacters(value) ? path.join('.') || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (const [i, inner] of value.entries()) {
      const found = controlCharacterPath(inner, [...path, String(i)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (hasControlCharacters(key)) return [...path, key].join('.');
      const found = controlCharacterPath(inner, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
