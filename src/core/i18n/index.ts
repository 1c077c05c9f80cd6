// Message catalogues through i18next. Keys are typed from the English catalogue.
import i18next, { type i18n } from 'i18next';
import { en } from './en.ts';
import { es } from './es.ts';
import { de } from './de.ts';
import { fr } from './fr.ts';
import { pt } from './pt.ts';
import { ru } from './ru.ts';
import { uk } from './uk.ts';

/** A plural key (`days_one`, `days_other`) is used by its base name with a `count` (i18next picks the form). */
type KeyName<K extends string> = K extends `${infer Base}_${'one' | 'other'}` ? Base : K;

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${KeyName<K>}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<typeof en>;
export type Translator = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Catalogues by language code. English is the fallback for any missing language. */
export const CATALOGUES = { en, es, de, fr, pt, ru, uk } as const;
export type UiLocale = keyof typeof CATALOGUES;

export interface I18n {
  /** A translator for a language code or IETF tag ('es', 'pt-BR'); unknown languages fall back to English. */
  translator(locale: string | undefined): Translator;
  /** Whether a catalogue exists for this language. */
  supports(locale: string | undefined): boolean;
}

const TEXTS_KEPT = 2_000;
const LONGEST_KEPT_VALUE = 80;

/** The cache key of a message with parameters; undefined when a value is too long to keep (or holds the separator). */
function textId(key: string, params: Record<string, string | number>): string | undefined {
  let id = key;
  for (const name in params) {
    const value = params[name]!;
    if (typeof value === 'string' && (value.length > LONGEST_KEPT_VALUE || value.includes('\u0000'))) return undefined;
    // Separators that cannot occur in a key or a parameter name; a value is typed so 1 and '1' stay apart.
    id += `\u0000${name}\u0001${typeof value === 'number' ? 'n' : 's'}${value}`;
  }
  return id;
}

/** The i18next instance behind the translators (exported for tests that compare with i18next itself). */
export function createI18nextInstance(): i18n {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(CATALOGUES).map(([lng, translation]) => [lng, { translation }])),
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export function createI18n(): I18n {
  const instance = createI18nextInstance();
  const normalise = (locale: string | undefined) => (locale ?? 'en').toLowerCase().split(/[-_]/)[0]!;
  // A message is the same text every time for the same catalogue, key and parameters: i18next resolves it
  // once (its lookup, fallback, plural rules and interpolation cost ~10-20 µs a call, and a reply makes
  // several: the rating buttons, each card field) and the text is reused. At most TEXTS_KEPT per catalogue
  // (emptied when full: parameters such as names and topics vary without end); long parameter values are not kept.
  const resolvedTexts = new Map<string, Map<string, string>>();
  return {
    translator(locale) {
      const language = normalise(locale);
      const t = instance.getFixedT(language);
      const catalogue = language in CATALOGUES ? language : 'en';
      let texts = resolvedTexts.get(catalogue);
      if (!texts) resolvedTexts.set(catalogue, (texts = new Map()));
      const kept = texts;
      return (key, params) => {
        const id = params ? textId(key, params) : key;
        if (id === undefined) return t(key, params) as string;
        let text = kept.get(id);
        if (text === undefined) {
          text = t(key, params ?? {}) as string;
          if (kept.size >= TEXTS_KEPT) kept.clear();
          kept.set(id, text);
        }
        return text;
      };
    },
    supports: (locale) => normalise(locale) in CATALOGUES,
  };
}
