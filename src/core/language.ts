// Languages (ISO 639-1 codes) and CEFR levels: resolving what learners type, naming languages through
// Intl.DisplayNames, and spotting clear language/level mentions in free-text queries.
//
// Names are not hand-written: every language's name in English, in itself and in the major UI languages
// (NAME_LOCALES) comes from ICU. Only aliases ICU lacks ('castellano', 'Mandarin', 'Farsi') live in ./language/data.ts.
import {
  AMBIGUOUS_NAMES,
  ARTICLES,
  EXTRA_TAG_ALIASES,
  FOR_WORDS,
  HOMOGRAPH_NAMES,
  ISO_639_1_CODES,
  LANGUAGE_ALIASES,
  LEVEL_NOUNS,
  LEVEL_WORDS,
  MENTION_FOLLOWERS,
  OF_HEADS,
  NAME_LOCALES,
  NEGATIONS,
  NOT_LANGUAGE_NAMES,
  NOT_LEVEL_BEFORE,
  POPULAR_CODES,
  PREFIX_SKIPPABLE,
  PREFIX_TRIGGERS,
  REGIONAL_TAGS,
  SUFFIX_TRIGGERS,
  TRANSLATION_PREFIXES,
  TRANSLATION_WORDS,
} from './language/data.ts';
import { editDistance, fold, stripParentheses, tokenize, type QueryToken, type Token } from './language/text.ts';
import { cutText } from './safe-text.ts';

export type LanguageCode = string; // ISO 639-1, lowercase
export type LanguageResolution = { ok: true; code: LanguageCode } | { ok: false; input: string; suggestions: LanguageCode[] };

/** Every supported ISO 639-1 code (the 183 current ones), sorted. */
export const LANGUAGE_CODES: readonly LanguageCode[] = Object.freeze([...ISO_639_1_CODES]);

const CODE_SET: ReadonlySet<string> = new Set(LANGUAGE_CODES);
const MAX_INPUT_LENGTH = 60;
const MAX_QUERY_LENGTH = 2000;
const MAX_SUGGESTIONS = 3;

export function isLanguageCode(value: string): boolean {
  return typeof value === 'string' && CODE_SET.has(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Intl.DisplayNames

const displayNamesCache = new Map<string, Intl.DisplayNames>();

/** Language display names in `locale`, falling back to English when ICU has no data for it. Cached per locale. */
function displayNames(locale: string): Intl.DisplayNames {
  let names = displayNamesCache.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale, 'en'], { type: 'language', fallback: 'none' });
    displayNamesCache.set(locale, names);
  }
  return names;
}

const localeDataCache = new Map<string, boolean>();

function hasLocaleData(locale: string): boolean {
  let supported = localeDataCache.get(locale);
  if (supported === undefined) {
    try {
      supported = Intl.DisplayNames.supportedLocalesOf([locale]).length > 0;
    } catch {
      supported = false;
    }
    localeDataCache.set(locale, supported);
  }
  return supported;
}

/** 'de', 'DE', 'pt_BR' → a canonical BCP 47 tag; anything invalid → 'en'. */
function uiLocale(inLanguage: string | undefined): string {
  if (!inLanguage || typeof inLanguage !== 'string') return 'en';
  try {
    return Intl.getCanonicalLocales(inLanguage.trim().replace(/_/g, '-'))[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** English names where ICU's is unhelpful ('tw' is 'Akan', like 'ak'). */
const ENGLISH_NAME_OVERRIDES: Record<string, string> = { tw: 'Twi' };

function englishName(code: LanguageCode): string {
  return ENGLISH_NAME_OVERRIDES[code] ?? displayNames('en').of(code) ?? code;
}

/** A code or a BCP 47 tag ('pt-BR', 'zh_Hant', 'iw', 'spa') → its ISO 639-1 code, if any. */
function codeFromTag(text: string): LanguageCode | undefined {
  if (!/^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i.test(text)) return undefined;
  const tag = text.replace(/_/g, '-');
  const first = tag.split('-')[0]!.toLowerCase();
  if (CODE_SET.has(first)) return first; // before canonicalising: ICU turns 'tl' into 'fil'
  try {
    const language = new Intl.Locale(tag).language;
    if (CODE_SET.has(language)) return language;
    const extra = EXTRA_TAG_ALIASES[language];
    return extra && CODE_SET.has(extra) ? extra : undefined;
  } catch {
    return undefined;
  }
}

function canonicalCode(code: string): LanguageCode | undefined {
  if (typeof code !== 'string') return undefined;
  const trimmed = code.trim();
  const lower = trimmed.toLowerCase();
  return CODE_SET.has(lower) ? lower : codeFromTag(trimmed);
}

/**
 * The language's name in the given UI language (default English), e.g. languageName('es') = 'Spanish',
 * languageName('es', 'de') = 'Spanisch'. Names follow ICU's casing for that UI language (French gives 'espagnol').
 * Tags resolve to their language ('pt-BR' → 'Portuguese'); an unknown code is returned unchanged.
 */
export function languageName(code: LanguageCode, inLanguage: string = 'en'): string {
  // Asked ~17 times per generated reply (prompts, checks, rendering), 4 µs each through ICU: kept per pair.
  const key = `${code}\u0000${inLanguage}`;
  let name = namesCache.get(key);
  if (name === undefined) {
    if (namesCache.size >= NAMES_CACHED) namesCache.clear(); // platform locales are free text: stay bounded
    namesCache.set(key, (name = computeLanguageName(code, inLanguage)));
  }
  return name;
}

const NAMES_CACHED = 10_000;
const namesCache = new Map<string, string>();

function computeLanguageName(code: LanguageCode, inLanguage: string): string {
  const resolved = canonicalCode(code);
  if (!resolved) return code;
  const locale = uiLocale(inLanguage);
  if (locale === 'en' || locale.startsWith('en-') || !hasLocaleData(locale)) return englishName(resolved);
  return displayNames(locale).of(resolved) ?? englishName(resolved);
}

/** The language's name in itself ('español', 'Deutsch', '日本語'); the English name when ICU has no data for it. */
export function nativeLanguageName(code: LanguageCode): string {
  const resolved = canonicalCode(code);
  if (!resolved) return code;
  if (!hasLocaleData(resolved)) return englishName(resolved);
  return displayNames(resolved).of(resolved) ?? englishName(resolved);
}

// ---------------------------------------------------------------------------------------------------------------
// Name index (built once, on first use)

/** Lower tiers win collisions and rank first among equally close suggestions. */
const Tier = { Alias: 0, English: 1, Native: 2, Localised: 3, Regional: 4, Stripped: 5, Inflected: 6 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];

interface NameEntry {
  readonly code: LanguageCode;
  readonly tier: Tier;
}

interface LanguageIndex {
  /** Folded name → language, for exact matches. */
  readonly names: ReadonlyMap<string, NameEntry>;
  /** The subset safe to look for in free text (no region names, nothing shorter than 3 characters). */
  readonly detectable: ReadonlyMap<string, LanguageCode>;
  /** Longest detectable name, in words. */
  readonly maxWords: number;
  /** Forms that are a clear mention by themselves: Ukrainian instrumental 'українською' = 'in Ukrainian'. */
  readonly selfTriggering: ReadonlySet<string>;
}

let languageIndex: LanguageIndex | undefined;

function index(): LanguageIndex {
  languageIndex ??= buildIndex();
  return languageIndex;
}

function buildIndex(): LanguageIndex {
  const names = new Map<string, NameEntry>();
  const add = (name: string | undefined, code: LanguageCode, tier: Tier) => {
    if (!name) return;
    const key = fold(name);
    if (!key || NOT_LANGUAGE_NAMES.has(key) || names.has(key)) return;
    names.set(key, { code, tier });
  };

  const sources: Array<[name: string | undefined, code: LanguageCode, tier: Tier]> = [];
  for (const [code, aliases] of Object.entries(LANGUAGE_ALIASES)) for (const alias of aliases) sources.push([alias, code, Tier.Alias]);
  for (const code of LANGUAGE_CODES) sources.push([englishName(code), code, Tier.English]);
  for (const code of LANGUAGE_CODES) sources.push([displayNames('en').of(code), code, Tier.English]); // ICU's, if overridden
  for (const code of LANGUAGE_CODES) if (hasLocaleData(code)) sources.push([displayNames(code).of(code), code, Tier.Native]);
  for (const locale of NAME_LOCALES) for (const code of LANGUAGE_CODES) sources.push([displayNames(locale).of(code), code, Tier.Localised]);
  for (const tag of REGIONAL_TAGS) {
    const code = new Intl.Locale(tag).language;
    for (const locale of ['en', tag, ...NAME_LOCALES]) sources.push([displayNames(locale).of(tag), code, Tier.Regional]);
  }
  for (const [name, code, tier] of sources) add(name, code, tier);
  // 'Norwegisch (Bokmål)' → also 'Norwegisch', 'kurdî (kurmancî)' → 'kurdî', once every full name has had its turn.
  for (const [name, code] of sources) if (name) add(stripParentheses(name), code, Tier.Stripped);
  const inflections = slavicInflections();
  for (const [name, code] of inflections) add(name, code, Tier.Inflected);
  const selfTriggering = new Set(inflections.filter(([name]) => name.endsWith('ською') || name.endsWith('цькою')).map(([name]) => name));

  const regions = regionNames();
  const detectable = new Map<string, LanguageCode>();
  let maxWords = 1;
  for (const [key, entry] of names) {
    if (Array.from(key).length < 3 || regions.has(key) || /^\d/.test(key)) continue;
    detectable.set(key, entry.code);
    maxWords = Math.max(maxWords, key.split(' ').length);
  }
  return { names, detectable, maxWords, selfTriggering };
}

/**
 * Russian and Ukrainian language names are adjectives that inflect: 'на испанском', 'по-русски', 'українською'.
 * Returns the common case forms of single-word names ending in -ский/-цкий (ru) and -ська/-цька (uk), folded.
 */
function slavicInflections(): Array<[name: string, code: LanguageCode]> {
  const ruEndings = ['ом', 'ого', 'ому', 'ие', 'их', 'ими', 'ым', 'ая', 'ую', 'ои', 'и'];
  const ukEndings = ['ою', 'оі', 'іи', 'у', 'і', 'их', 'ии', 'ого', 'ому', 'им', 'ими', 'и'];
  const forms: Array<[string, LanguageCode]> = [];
  for (const code of LANGUAGE_CODES) {
    const ru = fold(displayNames('ru').of(code) ?? '');
    if (/^[а-я]+[сц]кии$/.test(ru)) for (const ending of ruEndings) forms.push([ru.slice(0, -2) + ending, code]);
    const uk = fold(displayNames('uk').of(code) ?? '');
    if (/^[а-яіє]+[сц]ька$/.test(uk)) for (const ending of ukEndings) forms.push([uk.slice(0, -1) + ending, code]);
  }
  return forms;
}

/** Folded country/region names in English and the name locales ('Indonesia', 'Fidschi'): not language mentions. */
function regionNames(): Set<string> {
  const result = new Set<string>();
  const locales = ['en', ...NAME_LOCALES];
  const displays = locales.map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }));
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const region = String.fromCharCode(a, b);
      for (const display of displays) {
        try {
          const name = display.of(region);
          if (name) result.add(fold(name));
        } catch {
          // not a region code
        }
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// resolveLanguage

/** Words dropped when a name alone does not match ('the Spanish language', 'idioma español'). */
const NAME_FILLER = new Set([
  'the', 'language', 'languages', 'lang', 'idioma', 'lengua', 'langue', 'sprache', 'lingua', 'язык', 'мова', 'please',
  'pls', 'el', 'la', 'le', 'die', 'das', 'il', 'o', 'a',
]);

function lookupName(text: string): LanguageCode | undefined {
  const { names } = index();
  const key = fold(text);
  const exact = names.get(key);
  if (exact) return exact.code;
  const stripped = stripParentheses(text);
  if (stripped && stripped !== text) {
    const inner = lookupName(stripped);
    if (inner) return inner;
  }
  const words = key.split(' ');
  const withoutFiller = words.filter((word) => !NAME_FILLER.has(word));
  if (withoutFiller.length > 0 && withoutFiller.length < words.length) return names.get(withoutFiller.join(' '))?.code;
  return undefined;
}

/**
 * Resolves free text to an ISO 639-1 code; unknown input gets up to 3 close suggestions (codes), best first.
 * Accepts codes in any case, BCP 47 tags ('es-MX', 'pt_BR'), legacy and 3-letter codes ('iw', 'spa'), the English
 * name, the native name, names in es/de/fr/pt/ru/uk, regional names ('Brazilian Portuguese') and aliases
 * ('castellano', 'Mandarin', 'Farsi'), ignoring case, diacritics and surrounding whitespace. Short sentences with a
 * clear mention ('I want to learn Spanish') resolve too. Empty or over-long (> 60 characters) input is not found.
 */
export function resolveLanguage(input: string): LanguageResolution {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text || text.length > MAX_INPUT_LENGTH) return { ok: false, input: text, suggestions: [] };

  const lower = text.toLowerCase();
  if (CODE_SET.has(lower)) return { ok: true, code: lower };
  const byName = lookupName(text);
  if (byName) return { ok: true, code: byName };
  const byTag = codeFromTag(text);
  if (byTag) return { ok: true, code: byTag };

  const key = fold(stripParentheses(text) || text);
  const keyWithoutFiller = key
    .split(' ')
    .filter((word) => !NAME_FILLER.has(word))
    .join(' ');
  const ambiguous = AMBIGUOUS_NAMES[key] ?? AMBIGUOUS_NAMES[keyWithoutFiller];
  if (ambiguous) return { ok: false, input: text, suggestions: [...ambiguous] };

  if (key.includes(' ')) {
    const detected = detectLanguageAndLevel(text).language;
    if (detected) return { ok: true, code: detected };
  }
  return { ok: false, input: text, suggestions: suggest(keyWithoutFiller || key) };
}

/** Typos within this many edits count as close: 1 up to 5 characters, 2 up to 8, 3 beyond. */
function maxTypoDistance(length: number): number {
  if (length <= 5) return 1;
  if (length <= 8) return 2;
  return 3;
}

const POPULARITY = new Map(POPULAR_CODES.map((code, rank) => [code, rank]));

let englishRegionNames: Intl.DisplayNames | undefined;

/** A 2-letter country code typed as a language ('jp', 'cn', 'gr') → the country's main language, via ICU likely subtags. */
function languageOfRegion(region: string): LanguageCode | undefined {
  const upper = region.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper) || upper === 'ZZ') return undefined;
  try {
    englishRegionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    if (!englishRegionNames.of(upper)) return undefined;
    const language = new Intl.Locale(`und-${upper}`).maximize().language;
    return CODE_SET.has(language) ? language : undefined;
  } catch {
    return undefined;
  }
}

function suggest(key: string): LanguageCode[] {
  const length = Array.from(key).length;
  if (length < 2) return [];
  const best = new Map<LanguageCode, { score: number; tier: number }>();
  const consider = (code: LanguageCode, score: number, tier: number) => {
    const previous = best.get(code);
    if (!previous || score < previous.score || (score === previous.score && tier < previous.tier)) best.set(code, { score, tier });
  };

  if (length === 2) {
    const regional = languageOfRegion(key);
    if (regional) consider(regional, 0.5, 0);
  }
  const maxDistance = maxTypoDistance(length);
  for (const [name, entry] of index().names) {
    if (entry.tier === Tier.Inflected) continue;
    const prefixTier = entry.tier <= Tier.Native;
    if (prefixTier && name.length > key.length && name.startsWith(key) && (length >= 3 || /^[a-z]+$/.test(key))) {
      consider(entry.code, length >= 3 ? 0.5 : 1, entry.tier);
    }
    if (length <= 3 && name.length > 4) continue; // 'xq' is not a typo of 'Basque'
    const distance = editDistance(key, name, maxDistance);
    if (distance <= maxDistance) consider(entry.code, distance, entry.tier);
  }
  if (length === 3) {
    for (const code of LANGUAGE_CODES) if (key.startsWith(code) || editDistance(key, code, 1) === 0) consider(code, 1, 0);
  }

  return [...best.entries()]
    .sort(
      ([codeA, a], [codeB, b]) =>
        a.score - b.score ||
        a.tier - b.tier ||
        (POPULARITY.get(codeA) ?? 999) - (POPULARITY.get(codeB) ?? 999) ||
        codeA.localeCompare(codeB),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map(([code]) => code);
}

// ---------------------------------------------------------------------------------------------------------------
// CEFR levels

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];
export type LevelResolution = { ok: true; level: CefrLevel } | { ok: false; input: string };

const LEVEL_DESCRIPTIONS: Record<CefrLevel, string> = {
  A1: 'A1 (beginner: familiar everyday expressions and very basic phrases about oneself and immediate needs)',
  A2: 'A2 (elementary: simple sentences about familiar topics)',
  B1: 'B1 (intermediate: connected speech about familiar matters, experiences, plans and opinions)',
  B2: 'B2 (upper intermediate: clear, detailed language on a wide range of topics; fluent interaction with native speakers)',
  C1: 'C1 (advanced: flexible, well-structured language for social, academic and professional purposes)',
  C2: 'C2 (proficient: near-native precision and nuance in virtually any situation)',
};

/** A short description of what the level means, for prompts (e.g. 'A2 (elementary: simple sentences about familiar topics)'). */
export function describeLevel(level: CefrLevel): string {
  return LEVEL_DESCRIPTIONS[level];
}

const CEFR_TOKEN = /^([abc])([12])\+?$/;

function cefrFromToken(folded: string): CefrLevel | undefined {
  const match = CEFR_TOKEN.exec(folded);
  return match ? (`${match[1]!.toUpperCase()}${match[2]}` as CefrLevel) : undefined;
}

const MAX_LEVEL_WORDS = Math.max(...Object.keys(LEVEL_WORDS).map((phrase) => phrase.split(' ').length));

interface LevelMention {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly level: CefrLevel;
  readonly kind: 'cefr' | 'clear' | 'contextual';
}

/** The longest level word or CEFR token starting at `start` (consecutive word tokens only). */
function levelAt(tokens: readonly QueryToken[], start: number): LevelMention | undefined {
  const first = tokens[start];
  if (!first) return undefined;
  const cefr = cefrFromToken(first.folded);
  if (cefr) return { start, end: start + 1, level: cefr, kind: 'cefr' };
  for (let length = MAX_LEVEL_WORDS; length >= 1; length--) {
    const words = wordsAt(tokens, start, length);
    if (!words) continue;
    const entry = LEVEL_WORDS[words];
    if (entry) return { start, end: start + length, level: entry.level, kind: entry.clear ? 'clear' : 'contextual' };
  }
  return undefined;
}

/** The folded words tokens[start .. start+length) joined by spaces, or undefined if a break or the end intervenes. */
function wordsAt(tokens: readonly QueryToken[], start: number, length: number): string | undefined {
  const parts: string[] = [];
  for (let i = start; i < start + length; i++) {
    const token = tokens[i];
    if (!token) return undefined;
    parts.push(token.folded);
  }
  return parts.join(' ');
}

/**
 * 'a2', 'A2', 'B1+'→B1, 'beginner'→A1, 'elementary'→A2, 'intermediate'→B1, 'upper intermediate'/'upper-intermediate'→B2,
 * 'advanced'→C1, 'fluent'/'proficient'/'native'→C2; also common translations (principiante, intermedio, avanzado,
 * débutant, Anfänger, начинающий, …) and padding such as 'level B2' or "I'm a beginner". Ranges ('A2/B1',
 * 'beginner to intermediate') resolve to the lower level; negations ('not a beginner') are not resolved.
 */
export function resolveLevel(input: string): LevelResolution {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text || text.length > MAX_INPUT_LENGTH) return { ok: false, input: text };
  // 'A 2' → 'a2', 'B1.2' → 'b1 2'
  const tokens = tokenize(fold(text).replace(/(^|\s)([abc])\s([12])(?=\s|\+|$)/g, '$1$2$3'));
  if (tokens.some((token) => token && NEGATIONS.has(token.folded))) return { ok: false, input: text };
  let lowest: CefrLevel | undefined;
  for (let i = 0; i < tokens.length; ) {
    const mention = levelAt(tokens, i);
    if (!mention) {
      i++;
      continue;
    }
    if (!lowest || CEFR_LEVELS.indexOf(mention.level) < CEFR_LEVELS.indexOf(lowest)) lowest = mention.level;
    i = mention.end;
  }
  return lowest ? { ok: true, level: lowest } : { ok: false, input: text };
}

// ---------------------------------------------------------------------------------------------------------------
// detectLanguageAndLevel

interface LanguageMention {
  readonly start: number;
  readonly end: number;
  readonly code: LanguageCode;
  readonly strength: number;
}

/** Words that may surround a bare language name or level in a query that is nothing else ('Spanish B1 please'). */
const WHOLE_QUERY_FILLER = new Set([
  'please', 'pls', 'plz', 'the', 'a', 'an', 'for', 'level', 'language', 'lang', 'my', 'i', 'im', 'am', 'me', 'thanks',
  'ok', 'okay', 'and', 'bitte', 'por', 'favor', 'para', 'pour', 'fur', 'для', 'пожалуиста',
]);

function nameAt(tokens: readonly QueryToken[], start: number): { end: number; code: LanguageCode; key: string } | undefined {
  const { detectable, maxWords } = index();
  for (let length = maxWords; length >= 1; length--) {
    const key = wordsAt(tokens, start, length);
    if (key === undefined) continue;
    const code = detectable.get(key);
    if (code) return { end: start + length, code, key };
  }
  return undefined;
}

/** The nearest word before `position`, skipping up to two `skippable` words; undefined at a break or the start. */
function previousWord(
  tokens: readonly QueryToken[],
  position: number,
  skippable: ReadonlySet<string>,
): { token: Token; at: number } | undefined {
  let skipped = 0;
  for (let i = position - 1; i >= 0; i--) {
    const token = tokens[i];
    if (!token) return undefined;
    if (skippable.has(token.folded) && skipped < 2) {
      skipped++;
      continue;
    }
    return { token, at: i };
  }
  return undefined;
}

function isCapitalised(raw: string): boolean {
  const first = Array.from(raw)[0] ?? '';
  return first !== first.toLowerCase();
}

/**
 * Finds language and level words inside a free-text query, e.g. 'kitchen words in Spanish for a B1 learner' →
 * { language: 'es', level: 'B1' }. Only clear mentions count: a name after 'in'/'learn'/'practise my' (and
 * 'translate … into'), before a learning noun ('Spanish words', 'German grammar'), next to a level ('Spanish B1',
 * 'advanced French', 'German for beginners'), or a query that is only a name. A name used as an adjective for a
 * topic ('French fries', 'German shepherd dogs', 'Turkish delight') is not a mention, and neither are English words
 * that happen to be names ('polish my nails'). Fields are left out when nothing clear is found.
 */
export function detectLanguageAndLevel(query: string): { language?: LanguageCode; level?: CefrLevel } {
  if (typeof query !== 'string') return {};
  const tokens = tokenize(cutText(query, MAX_QUERY_LENGTH));

  const levels: LevelMention[] = [];
  for (let i = 0; i < tokens.length; ) {
    const mention = levelAt(tokens, i);
    if (!mention) {
      i++;
      continue;
    }
    const before = previousWord(tokens, i, new Set());
    if (!(mention.kind === 'cefr' && before && NOT_LEVEL_BEFORE.has(before.token.folded))) levels.push(mention);
    i = mention.end;
  }
  const levelStartingAt = (i: number) => levels.find((level) => level.start === i);
  const levelEndingAt = (i: number) => levels.find((level) => level.end === i);

  const translationIndex = tokens.findIndex((token) => token !== null && TRANSLATION_WORDS.has(token.folded));
  const wordIndexes = tokens.flatMap((token, i) => (token ? [i] : []));
  const onlyFillerOutside = (start: number, end: number, alsoAllowed: (i: number) => boolean) =>
    wordIndexes.every((i) => (i >= start && i < end) || WHOLE_QUERY_FILLER.has(tokens[i]!.folded) || alsoAllowed(i));
  const inLevel = (i: number) => levels.some((level) => i >= level.start && i < level.end);

  const { selfTriggering } = index();
  const languages: LanguageMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const found = nameAt(tokens, i);
    if (!found) continue;
    const token = tokens[i]!;
    const homograph = HOMOGRAPH_NAMES.has(found.key) && !isCapitalised(token.raw);
    const next = tokens[found.end];
    const nextIsBoundary = next === null || next === undefined;
    const levelNext = levelStartingAt(found.end);
    // 'German for beginners', 'Spanish for a B1 learner'
    const afterFor = tokens[found.end + 1];
    const forLevelNext =
      !nextIsBoundary &&
      FOR_WORDS.has(next.folded) &&
      (levelStartingAt(found.end + 1) ?? (afterFor && ARTICLES.has(afterFor.folded) ? levelStartingAt(found.end + 2) : undefined));
    const followerOk =
      nextIsBoundary ||
      MENTION_FOLLOWERS.has(next.folded) ||
      SUFFIX_TRIGGERS.has(next.folded) ||
      levelNext !== undefined ||
      nameAt(tokens, found.end) !== undefined;

    const prefix = previousWord(tokens, i, PREFIX_SKIPPABLE);
    const prefixWord = prefix?.token.folded;
    const ofHead = prefix && prefixWord === 'of' ? previousWord(tokens, prefix.at, ARTICLES) : undefined;
    const prefixTrigger =
      selfTriggering.has(found.key) ||
      (prefixWord !== undefined &&
        (PREFIX_TRIGGERS.has(prefixWord) ||
          (TRANSLATION_PREFIXES.has(prefixWord) && translationIndex >= 0 && translationIndex < i) ||
          (ofHead !== undefined && OF_HEADS.has(ofHead.token.folded))));

    let strength = 0;
    if (prefixTrigger && followerOk) strength = 3;
    else if (onlyFillerOutside(i, found.end, inLevel)) strength = 3;
    else if (!homograph && next && SUFFIX_TRIGGERS.has(next.folded)) strength = 2;
    else if (!homograph && (levelNext || forLevelNext)) strength = 2;
    else if (!homograph && levelEndingAt(i) && followerOk) strength = 2;

    if (strength > 0) languages.push({ start: i, end: found.end, code: found.code, strength });
    i = found.end - 1;
  }
  const language = languages.reduce<LanguageMention | undefined>((best, mention) => (!best || mention.strength > best.strength ? mention : best), undefined);

  const acceptedLevel = (mention: LevelMention): boolean => {
    if (mention.kind !== 'contextual') return true;
    const next = tokens[mention.end];
    if (next && LEVEL_NOUNS.has(next.folded)) return true;
    if (languages.some((found) => found.start === mention.end)) return true; // 'advanced Spanish'
    const before = previousWord(tokens, mention.start, ARTICLES);
    if (before && FOR_WORDS.has(before.token.folded) && (next === null || next === undefined || languages.some((found) => found.start === mention.end))) {
      return true; // 'for advanced', 'for the advanced.'
    }
    const inLanguage = (i: number) => languages.some((found) => i >= found.start && i < found.end);
    return onlyFillerOutside(mention.start, mention.end, inLanguage); // the query is just 'advanced' or 'advanced Spanish'
  };
  const level = levels.find((mention) => mention.kind === 'cefr') ?? levels.find((mention) => mention.kind !== 'cefr' && acceptedLevel(mention));

  const result: { language?: LanguageCode; level?: CefrLevel } = {};
  if (language) result.language = language.code;
  if (level) result.level = level.level;
  return result;
}
