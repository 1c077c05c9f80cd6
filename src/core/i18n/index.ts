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

export function createI18n(): I18n {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(CATALOGUES).map(([lng, translation]) => [lng, { translation }])),
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const normalise = (locale: string | undefined) => (locale ?? 'en').toLowerCase().split(/[-_]/)[0]!;
  // A message without parameters is always the same text for a catalogue: i18next resolves it once (its
  // lookup, fallback and post-processing cost ~10-20 µs a call, and a reply makes several). Messages with
  // parameters (interpolation, plurals) go to i18next every time.
  const plainTexts = new Map<string, Map<string, string>>();
  return {
    translator(locale) {
      const language = normalise(locale);
      const t = instance.getFixedT(language);
      const catalogue = language in CATALOGUES ? language : 'en';
      let plain = plainTexts.get(catalogue);
      if (!plain) plainTexts.set(catalogue, (plain = new Map()));
      const texts = plain;
      return (key, params) => {
        if (params) return t(key, params) as string;
        let text = texts.get(key);
        if (text === undefined) texts.set(key, (text = t(key, {}) as string));
        return text;
      };
    },
    supports: (locale) => normalise(locale) in CATALOGUES,
  };
}
