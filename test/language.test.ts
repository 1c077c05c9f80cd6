import { describe, expect, it } from 'vitest';
import {
  CEFR_LEVELS,
  LANGUAGE_CODES,
  describeLevel,
  detectLanguageAndLevel,
  isLanguageCode,
  languageName,
  nativeLanguageName,
  resolveLanguage,
  resolveLevel,
} from '../src/core/language.ts';

const code = (input: string) => {
  const result = resolveLanguage(input);
  return result.ok ? result.code : undefined;
};
const suggestions = (input: string) => {
  const result = resolveLanguage(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} not to resolve, got ${result.code}`);
  return result.suggestions;
};
const level = (input: string) => {
  const result = resolveLevel(input);
  return result.ok ? result.level : undefined;
};

describe('LANGUAGE_CODES / isLanguageCode', () => {
  it('has at least 180 unique lowercase two-letter codes', () => {
    expect(LANGUAGE_CODES.length).toBeGreaterThanOrEqual(180);
    expect(new Set(LANGUAGE_CODES).size).toBe(LANGUAGE_CODES.length);
    for (const c of LANGUAGE_CODES) expect(c).toMatch(/^[a-z]{2}$/);
    for (const c of ['en', 'es', 'de', 'fr', 'pt', 'ru', 'uk', 'zh', 'ja', 'fa', 'he', 'tl', 'zu']) expect(LANGUAGE_CODES).toContain(c);
  });

  it('every code has an English name from ICU', () => {
    for (const c of LANGUAGE_CODES) expect(languageName(c)).not.toBe(c);
  });

  it('accepts only stored (lowercase ISO 639-1) codes', () => {
    expect(isLanguageCode('es')).toBe(true);
    expect(isLanguageCode('uk')).toBe(true);
    expect(isLanguageCode('ES')).toBe(false);
    expect(isLanguageCode('es-MX')).toBe(false);
    expect(isLanguageCode('spa')).toBe(false);
    expect(isLanguageCode('xx')).toBe(false);
    expect(isLanguageCode('')).toBe(false);
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['Spanish', 'es'],
    ['spanish', 'es'],
    ['español', 'es'],
    ['Espanol', 'es'],
    ['ES', 'es'],
    ['es', 'es'],
    ['es-MX', 'es'],
    ['castellano', 'es'],
    ['Mandarin', 'zh'],
    ['Chinese', 'zh'],
    ['中文', 'zh'],
    ['Farsi', 'fa'],
    ['Deutsch', 'de'],
    ['brazilian portuguese', 'pt'],
    ['Ukrainian', 'uk'],
    ['українська', 'uk'],
  ])('%s → %s', (input, expected) => {
    expect(resolveLanguage(input)).toEqual({ ok: true, code: expected });
  });

  it('ignores case, diacritics and surrounding whitespace', () => {
    expect(code('  ESPAÑOL  ')).toBe('es');
    expect(code('FRANÇAIS')).toBe('fr');
    expect(code('francais')).toBe('fr');
    expect(code('portugues')).toBe('pt');
    expect(code('TÜRKÇE')).toBe('tr');
    expect(code('Turkce')).toBe('tr');
    expect(code('norsk bokmal')).toBe('nb');
    expect(code('Maori')).toBe('mi');
    expect(code('\tdeutsch\n')).toBe('de');
    expect(code('УКРАЇНСЬКА')).toBe('uk');
    expect(code('русскии')).toBe('ru'); // й typed without its breve
  });

  it('accepts region and script tags, legacy and three-letter codes', () => {
    expect(code('pt-BR')).toBe('pt');
    expect(code('pt_BR')).toBe('pt');
    expect(code('EN-us')).toBe('en');
    expect(code('zh-Hant-TW')).toBe('zh');
    expect(code('sr-Latn')).toBe('sr');
    expect(code('tl-PH')).toBe('tl');
    expect(code('iw')).toBe('he');
    expect(code('spa')).toBe('es');
    expect(code('deu')).toBe('de');
    expect(code('fil')).toBe('tl');
  });

  it('accepts names in the other UI languages (es, de, fr, pt, ru, uk) and regional names', () => {
    expect(code('Spanisch')).toBe('es');
    expect(code('espagnol')).toBe('es');
    expect(code('espanhol')).toBe('es');
    expect(code('испанский')).toBe('es');
    expect(code('іспанська')).toBe('es');
    expect(code('inglés')).toBe('en');
    expect(code('Englisch')).toBe('en');
    expect(code('anglais')).toBe('en');
    expect(code('английский')).toBe('en');
    expect(code('Norwegisch')).toBe('no');
    expect(code('Mexican Spanish')).toBe('es');
    expect(code('español de México')).toBe('es');
    expect(code('Portuguese (Brazil)')).toBe('pt');
    expect(code('Simplified Chinese')).toBe('zh');
    expect(code('简体中文')).toBe('zh');
    expect(code('Flemish')).toBe('nl');
    expect(code('日本語')).toBe('ja');
    expect(code('한국어')).toBe('ko');
    expect(code('العربية')).toBe('ar');
    expect(code('हिन्दी')).toBe('hi');
  });

  it('accepts common aliases ICU does not know', () => {
    expect(code('Persian')).toBe('fa');
    expect(code('Tagalog')).toBe('tl');
    expect(code('Filipino')).toBe('tl');
    expect(code('Bengali')).toBe('bn');
    expect(code('Putonghua')).toBe('zh');
    expect(code('普通话')).toBe('zh');
    expect(code('Slovene')).toBe('sl');
    expect(code('Twi')).toBe('tw');
    expect(code('the Spanish language')).toBe('es');
    expect(code('idioma español')).toBe('es');
    expect(code('испанский язык')).toBe('es');
  });

  it('resolves a short sentence with a clear mention', () => {
    expect(code('I want to learn Spanish')).toBe('es');
    expect(code('Spanish please')).toBe('es');
  });

  it('suggests close languages for typos, best first', () => {
    expect(suggestions('Spansih')).toEqual(['es']);
    expect(suggestions('Portugese')).toEqual(['pt']);
    expect(suggestions('Germna')[0]).toBe('de');
    expect(suggestions('Frnech')[0]).toBe('fr');
    expect(suggestions('Italain')[0]).toBe('it');
    expect(suggestions('ukranian')[0]).toBe('uk');
    expect(suggestions('Japanse')[0]).toBe('ja');
    expect(suggestions('brazilian portugese')[0]).toBe('pt');
    expect(suggestions('Spannisch')[0]).toBe('es'); // typo of the German name
    expect(suggestions('Ëspañoll')[0]).toBe('es'); // typo plus stray accents
    expect(suggestions('испанскый')[0]).toBe('es');
  });

  it('suggests from prefixes and country codes', () => {
    expect(suggestions('port')[0]).toBe('pt');
    expect(suggestions('jap')[0]).toBe('ja');
    expect(suggestions('jp')).toEqual(['ja']);
    expect(suggestions('gr')[0]).toBe('el');
    expect(suggestions('cz')[0]).toBe('cs');
  });

  it('suggests candidates for ambiguous names', () => {
    expect(suggestions('Gaelic')).toEqual(['gd', 'ga']);
    expect(suggestions('Serbo-Croatian')).toEqual(['sr', 'hr', 'bs']);
    expect(suggestions('Cantonese')).toEqual(['zh']);
  });

  it('does not resolve unknown input and keeps suggestions few', () => {
    for (const input of ['Klingon', 'Elvish', 'Dothraki', 'qwerty', 'xyz', 'xx', 'banana bread']) {
      const result = resolveLanguage(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.input).toBe(input);
        expect(result.suggestions.length).toBeLessThanOrEqual(3);
      }
    }
    expect(suggestions('Klingon')).toEqual([]);
    expect(suggestions('Sindarin').length).toBeLessThanOrEqual(3);
  });

  it('rejects empty and over-long input without suggestions', () => {
    expect(resolveLanguage('')).toEqual({ ok: false, input: '', suggestions: [] });
    expect(resolveLanguage('   ')).toEqual({ ok: false, input: '', suggestions: [] });
    const long = `Spanish ${'x'.repeat(60)}`;
    expect(resolveLanguage(long)).toEqual({ ok: false, input: long, suggestions: [] });
    expect(resolveLanguage('s'.repeat(61)).ok).toBe(false);
  });

  it('every code resolves from itself, its English name and its native name', () => {
    for (const c of LANGUAGE_CODES) {
      expect(code(c)).toBe(c);
      expect(code(c.toUpperCase())).toBe(c);
      // 'ak' and 'tw' share ICU's name 'Akan'; the rest are unambiguous
      if (c !== 'tw') expect(code(languageName(c))).toBe(c);
      const native = nativeLanguageName(c);
      if (native !== languageName(c) && c !== 'tw') expect(code(native)).toBe(c);
    }
  });
});

describe('languageName / nativeLanguageName', () => {
  it('names a language in English by default and in other UI languages', () => {
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('es', 'en')).toBe('Spanish');
    expect(languageName('es', 'de')).toBe('Spanisch');
    expect(languageName('de', 'es')).toBe('alemán');
    expect(languageName('zh', 'fr')).toBe('chinois');
    expect(languageName('en', 'uk')).toBe('англійська');
    expect(languageName('ja', 'pt-BR')).toBe('japonês');
    expect(languageName('ja', 'DE')).toBe('Japanisch');
  });

  it('accepts tags and falls back sensibly', () => {
    expect(languageName('pt-BR')).toBe('Portuguese');
    expect(languageName('ES')).toBe('Spanish');
    expect(languageName('es', 'not a locale!')).toBe('Spanish');
    expect(languageName('es', 'tw')).toBe('Spanish'); // no ICU data for Twi → English
    expect(languageName('xx')).toBe('xx');
  });

  it('gives native names', () => {
    expect(nativeLanguageName('es')).toBe('español');
    expect(nativeLanguageName('de')).toBe('Deutsch');
    expect(nativeLanguageName('ja')).toBe('日本語');
    expect(nativeLanguageName('uk')).toBe('українська');
    expect(nativeLanguageName('zh')).toBe('中文');
    expect(nativeLanguageName('aa')).toBe('Afar'); // no ICU locale data → English name
    expect(nativeLanguageName('xx')).toBe('xx');
  });
});

describe('resolveLevel / describeLevel', () => {
  it.each([
    ['a2', 'A2'],
    ['A2', 'A2'],
    ['B1+', 'B1'],
    ['c1-', 'C1'],
    ['A 2', 'A2'],
    ['pre-A1', 'A1'],
    ['level B2', 'B2'],
    ['niveau C1', 'C1'],
    ['beginner', 'A1'],
    ['Beginners', 'A1'],
    ["I'm a complete beginner", 'A1'],
    ['elementary', 'A2'],
    ['pre-intermediate', 'A2'],
    ['intermediate', 'B1'],
    ['upper intermediate', 'B2'],
    ['upper-intermediate', 'B2'],
    ['Upper Intermediate', 'B2'],
    ['advanced', 'C1'],
    ['fluent', 'C2'],
    ['proficient', 'C2'],
    ['native', 'C2'],
    ['near-native', 'C2'],
    ['principiante', 'A1'],
    ['intermedio', 'B1'],
    ['avanzado', 'C1'],
    ['débutant', 'A1'],
    ['Anfänger', 'A1'],
    ['fortgeschritten', 'C1'],
    ['intermédiaire', 'B1'],
    ['avançado', 'C1'],
    ['начинающий', 'A1'],
    ['продвинутый', 'C1'],
    ['початківець', 'A1'],
    ['вище середнього', 'B2'],
    ['A2/B1', 'A2'],
  ])('%s → %s', (input, expected) => {
    expect(resolveLevel(input)).toEqual({ ok: true, level: expected });
  });

  it('does not resolve unknown, negated, empty or over-long input', () => {
    for (const input of ['D1', 'banana', 'A3', 'not a beginner', '', ' ', `beginner ${'x'.repeat(60)}`]) {
      expect(resolveLevel(input).ok).toBe(false);
    }
    expect(resolveLevel('  D1 ')).toEqual({ ok: false, input: 'D1' });
  });

  it('describes every level', () => {
    expect(describeLevel('A2')).toBe('A2 (elementary: simple sentences about familiar topics)');
    for (const l of CEFR_LEVELS) expect(describeLevel(l)).toMatch(new RegExp(`^${l} \\(.+\\)$`));
  });
});

describe('detectLanguageAndLevel', () => {
  it('finds clear language and level mentions', () => {
    expect(detectLanguageAndLevel('kitchen words in Spanish for a B1 learner')).toEqual({ language: 'es', level: 'B1' });
    expect(detectLanguageAndLevel('Spanish words')).toEqual({ language: 'es' });
    expect(detectLanguageAndLevel('Spanish')).toEqual({ language: 'es' });
    expect(detectLanguageAndLevel('B1 Spanish')).toEqual({ language: 'es', level: 'B1' });
    expect(detectLanguageAndLevel('spanish b1')).toEqual({ language: 'es', level: 'B1' });
    expect(detectLanguageAndLevel('German for beginners')).toEqual({ language: 'de', level: 'A1' });
    expect(detectLanguageAndLevel('advanced Spanish')).toEqual({ language: 'es', level: 'C1' });
    expect(detectLanguageAndLevel('how do you say cheese in French?')).toEqual({ language: 'fr' });
    expect(detectLanguageAndLevel('translate good morning into German')).toEqual({ language: 'de' });
    expect(detectLanguageAndLevel('Japanese grammar for intermediate learners')).toEqual({ language: 'ja', level: 'B1' });
    expect(detectLanguageAndLevel('upper-intermediate Spanish verbs')).toEqual({ language: 'es', level: 'B2' });
    expect(detectLanguageAndLevel('I am an advanced learner of Italian')).toEqual({ language: 'it', level: 'C1' });
    expect(detectLanguageAndLevel('Brazilian Portuguese slang')).toEqual({ language: 'pt' });
    expect(detectLanguageAndLevel('words in Scottish Gaelic')).toEqual({ language: 'gd' });
    expect(detectLanguageAndLevel('improve my French')).toEqual({ language: 'fr' });
    expect(detectLanguageAndLevel('food words in Spanish (A2)')).toEqual({ language: 'es', level: 'A2' });
    expect(detectLanguageAndLevel('Polish words for food')).toEqual({ language: 'pl' });
    expect(detectLanguageAndLevel('learn polish')).toEqual({ language: 'pl' });
  });

  it('understands queries written in other UI languages', () => {
    expect(detectLanguageAndLevel('palabras de cocina en español para principiantes')).toEqual({ language: 'es', level: 'A1' });
    expect(detectLanguageAndLevel('vocabulaire en anglais pour débutants')).toEqual({ language: 'en', level: 'A1' });
    expect(detectLanguageAndLevel('Wörter auf Deutsch für Anfänger')).toEqual({ language: 'de', level: 'A1' });
    expect(detectLanguageAndLevel('слова на испанском для начинающих')).toEqual({ language: 'es', level: 'A1' });
    expect(detectLanguageAndLevel('вправи українською')).toEqual({ language: 'uk' });
  });

  it('prefers the target language over the learner’s own', () => {
    expect(detectLanguageAndLevel('English words for kitchen items in Spanish')).toEqual({ language: 'es' });
    expect(detectLanguageAndLevel('for native Spanish speakers learning English')).toEqual({ language: 'en' });
    expect(detectLanguageAndLevel('English phrases for Spanish speakers')).toEqual({ language: 'en' });
  });

  it.each([
    'french fries',
    'French fries',
    'turkey recipes',
    'Turkey recipes',
    'polish my nails',
    'Polish my nails',
    'german shepherd dogs',
    'German shepherd dogs',
    'polish words in my essay',
    'Turkish delight recipes',
    'learn Turkish cooking',
    'advanced French cooking techniques',
    'talk to German customers',
    'Chinese food words',
    'Swiss cheese words',
    'English breakfast items',
    'Greek yogurt recipes',
    'words for a French kiss',
    'recipes in Indonesia',
    'Spanish-speaking countries vocabulary',
    'Latin dance words',
    'a ewe and her lamb',
    'random topic',
    'es',
    '',
  ])('finds no language in %j', (query) => {
    expect(detectLanguageAndLevel(query).language).toBeUndefined();
  });

  it('keeps a topic that starts with a level word from becoming a level', () => {
    expect(detectLanguageAndLevel('elementary school vocabulary in French')).toEqual({ language: 'fr' });
    expect(detectLanguageAndLevel('advanced technology vocabulary in German')).toEqual({ language: 'de' });
    expect(detectLanguageAndLevel('Spanish words for native plants')).toEqual({ language: 'es' });
    expect(detectLanguageAndLevel('basic words')).toEqual({});
    expect(detectLanguageAndLevel('vitamin B2 foods')).toEqual({});
  });

  it('finds the level alone', () => {
    expect(detectLanguageAndLevel('B1+')).toEqual({ level: 'B1' });
    expect(detectLanguageAndLevel('travel phrases for beginners')).toEqual({ level: 'A1' });
    expect(detectLanguageAndLevel('idioms for advanced learners')).toEqual({ level: 'C1' });
    expect(detectLanguageAndLevel('French fries for beginners')).toEqual({ level: 'A1' });
  });
});
