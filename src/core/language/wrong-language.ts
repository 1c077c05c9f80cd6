// Whether generated text is clearly in another language than the one declared for it (target-language fields
// in the target language, base-language fields in the base language), with a language identifier (detector.ts).
//
// The rule, so that a word, a name or a loanword never triggers it:
// - A text is judged only when it is long enough: at least MIN_WORDS words, or MIN_UNSPACED_CHARS letters in
//   a script written without spaces (Chinese, Japanese, Thai…). Shorter fields say nothing on their own.
// - A group of fields (all the target-language fields of a set, or all its base-language fields) is judged on
//   its concatenation, made of the fields of at least two words (or two unspaced letters): one English loanword
//   in a Spanish card changes nothing, a set whose examples are all in English is caught.
// - Each field that is long enough is also judged alone: one example sentence in English among Spanish ones
//   is caught too.
// - "Clearly" means: the detector calls its answer reliable, names another language than the declared one,
//   and scores the declared language below SCORE_RATIO of that language's score (close relatives such as
//   Spanish and Portuguese or Russian and Ukrainian often score within that ratio: they pass).
// - For a declared language the detector does not know, only the other pinned language counts (a target-
//   language reply that is clearly in the learner's base language).
import { languageName } from '../language.ts';
import { detectorCode, loadedLanguageDetector, type LanguageIdentifier } from './detector.ts';

export const MIN_WORDS = 4;
export const MIN_UNSPACED_CHARS = 8;
const SCORE_RATIO = 0.9;
/** Fields named in one repair request at most (the rest are counted). */
const MAX_NAMED_FIELDS = 4;

export interface TextSize {
  words: number;
  unspaced: number;
  letters: number;
}

const ONE_LETTER = /^\p{L}$/u;
/** Scripts written without spaces between words. */
const ONE_UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;
const ONE_SPACE = /^\s$/;

/**
 * Letters and characters of unspaced scripts (code points), and words (runs between white space holding a
 * letter): what `match(/\p{L}/gu)`, a match of those scripts and `split(/\s+/)` would count, in one pass without
 * their arrays (every generated field is measured; those arrays were most of the checks' garbage after the
 * detector's). Exported for its test.
 */
export function textSize(text: string): TextSize {
  let letters = 0;
  let unspaced = 0;
  let words = 0;
  let wordHasLetter = false;
  for (const char of text) {
    const code = char.charCodeAt(0);
    const ascii = code < 0x80;
    const letter = ascii ? (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a : ONE_LETTER.test(char);
    if (!ascii && ONE_UNSPACED.test(char)) unspaced++; // marks and digits of those scripts count too
    if (letter) {
      letters++;
      wordHasLetter = true;
    } else if (ascii ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : ONE_SPACE.test(char)) {
      if (wordHasLetter) words++;
      wordHasLetter = false;
    }
  }
  if (wordHasLetter) words++;
  return { words, unspaced, letters };
}

function longEnough({ words, unspaced, letters }: TextSize): boolean {
  if (unspaced > letters / 2) return unspaced >= MIN_UNSPACED_CHARS;
  return words >= MIN_WORDS;
}

/** Long enough to be judged alone (see the rule above). */
export function isLongEnough(text: string): boolean {
  return longEnough(textSize(text));
}

/** Enough to count in a group's concatenation: two words, or two letters of an unspaced script. */
function countsInGroup({ words, unspaced, letters }: TextSize): boolean {
  return unspaced > letters / 2 ? unspaced >= 2 : words >= 2;
}

/**
 * The language `text` is clearly written in when that is not `declared` (see the rule above); undefined when
 * it is in `declared`, too short, or not clear. `counterpart` is the other pinned language (base for target
 * fields, target for base fields).
 */
export function judgeLanguage(identifier: LanguageIdentifier, text: string, declared: string, counterpart?: string): string | undefined {
  return judgeSized(identifier, text, textSize(text), declared, counterpart);
}

function judgeSized(identifier: LanguageIdentifier, text: string, sized: TextSize, declared: string, counterpart?: string): string | undefined {
  if (!longEnough(sized)) return undefined;
  const expected = detectorCode(declared);
  const found = identifier.identify(text);
  if (!found.language || found.language === expected || !found.reliable) return undefined;
  if (!identifier.supports(declared)) {
    return counterpart !== undefined && found.language === detectorCode(counterpart) ? found.language : undefined;
  }
  const top = found.scores[found.language] ?? 0;
  if ((found.scores[expected] ?? 0) >= SCORE_RATIO * top) return undefined;
  return found.language;
}

/** A generated text and where it sits in the value ('cards[2].example'). */
export interface DeclaredText {
  path: string;
  text: string;
}

export interface LanguageFinding {
  declared: string;
  found: string;
  /** The fields judged wrong alone, or ['(all together)'] when only the whole group was. */
  paths: string[];
}

/** Judges a group of fields declared in one language: on its concatenation, then field by field. */
export function wrongLanguageIn(
  identifier: LanguageIdentifier,
  fields: readonly DeclaredText[],
  declared: string,
  counterpart?: string,
): LanguageFinding | undefined {
  // Each field is measured once: the concatenation's size is the sum of its parts' (they are joined by a line
  // break, and trimming changes no count).
  const sized = fields.map((field) => ({ field, size: textSize(field.text) }));
  const byField = sized.flatMap(({ field, size: fieldSize }) => {
    const found = judgeSized(identifier, field.text, fieldSize, declared, counterpart);
    return found ? [{ path: field.path, found }] : [];
  });
  const parts = sized.filter((part) => countsInGroup(part.size));
  const joinedSize: TextSize = { words: 0, unspaced: 0, letters: 0 };
  for (const { size: partSize } of parts) {
    joinedSize.words += partSize.words;
    joinedSize.unspaced += partSize.unspaced;
    joinedSize.letters += partSize.letters;
  }
  const joined = parts.map((part) => part.field.text.trim()).join('\n');
  const whole = judgeSized(identifier, joined, joinedSize, declared, counterpart);
  if (!whole && byField.length === 0) return undefined;
  const found = whole ?? mostFrequent(byField.map((f) => f.found));
  return { declared, found, paths: byField.length > 0 ? byField.map((f) => f.path) : ['(all together)'] };
}

/** The instruction for the repair request; `role` says which pinned language the fields are declared in. */
export function describeFinding(finding: LanguageFinding, role: 'target' | 'base'): string {
  const declared = languageName(finding.declared);
  const named = finding.paths.slice(0, MAX_NAMED_FIELDS).join(', ');
  const more = finding.paths.length > MAX_NAMED_FIELDS ? ` and ${finding.paths.length - MAX_NAMED_FIELDS} more` : '';
  return `Fields that must be in the ${role} language (${finding.declared}), ${declared}, are in ${languageName(finding.found)}: ${named}${more}. Rewrite them in ${declared}.`;
}

/**
 * The problem for the repair request when a single text (a role-play line) is clearly in another language
 * than `targetLanguage`; undefined otherwise, and also while the detector is not loaded yet (see detector.ts).
 */
export function clearlyWrongLanguage(text: string, targetLanguage: string, baseLanguage: string): string | undefined {
  const identifier = loadedLanguageDetector();
  if (!identifier || targetLanguage === baseLanguage) return undefined;
  const found = judgeLanguage(identifier, text, targetLanguage, baseLanguage);
  if (!found) return undefined;
  return `the reply must be in the target language (${targetLanguage}), not in ${languageName(found)}: stay in character and write the reply in ${languageName(targetLanguage)}.`;
}

function mostFrequent(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}
