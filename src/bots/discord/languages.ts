// Suggestions for 'language' options while the learner types (Discord autocomplete: ≤ 25 choices,
// answered at once). Names come from the core's language table, in the learner's Discord locale.
import { LANGUAGE_CODES, languageName, nativeLanguageName } from '../../core/language.ts';
import { POPULAR_CODES } from '../../core/language/data.ts';

const MAX_CHOICES = 25;

interface Entry {
  code: string;
  label: string;
  /** Lowercased names to match: localised, English and native. */
  names: string[];
  popularity: number;
}

const entriesByLocale = new Map<string, Entry[]>();

function entries(locale: string): Entry[] {
  let list = entriesByLocale.get(locale);
  if (!list) {
    const popular = new Map<string, number>(POPULAR_CODES.map((code, i) => [code, i]));
    list = LANGUAGE_CODES.map((code) => {
      const label = languageName(code, locale);
      return {
        code,
        label,
        names: [...new Set([label, languageName(code), nativeLanguageName(code)].map((n) => n.toLowerCase()))],
        popularity: popular.get(code) ?? POPULAR_CODES.length + 1,
      };
    });
    entriesByLocale.set(locale, list);
  }
  return list;
}

/** Exact codes and name prefixes first, then names containing the text; popular languages break ties. Values are ISO 639-1 codes. */
export function suggestLanguages(typed: string, locale = 'en'): Array<{ name: string; value: string }> {
  const query = typed.trim().toLowerCase();
  const rank = (entry: Entry): number => {
    if (!query) return entry.popularity <= POPULAR_CODES.length ? 0 : -1;
    if (entry.code === query || entry.names.some((n) => n.startsWith(query))) return 0;
    if (entry.names.some((n) => n.includes(query))) return 1;
    return -1;
  };
  return entries(locale)
    .map((entry) => ({ entry, rank: rank(entry) }))
    .filter(({ rank }) => rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.entry.popularity - b.entry.popularity)
    .slice(0, MAX_CHOICES)
    .map(({ entry }) => ({ name: `${entry.label} (${entry.code})`.slice(0, 100), value: entry.code }));
}
