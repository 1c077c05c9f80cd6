// What "the same word" means when a learner's deck is compared with new content: case, surrounding
// punctuation, spacing and one leading article do not count ("La cebolla", "cebolla", "¡la cebolla!" are one
// item); accents do ("el papa" and "la papá" stay apart, as do "sí" and "si").

/** Leading articles per target language (ISO 639-1). Only the language's own: "a" is an article in English
 * and Portuguese but a preposition in Spanish ("a menudo"). Elided forms (l', un') end with an apostrophe. */
const ARTICLES: Record<string, readonly string[]> = {
  es: ['el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas', 'lo'],
  de: ['der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'eines'],
  fr: ['le', 'la', 'les', "l'", 'un', 'une', 'des', 'du', 'de la', "de l'"],
  it: ['il', 'lo', 'la', 'i', 'gli', 'le', "l'", 'un', 'uno', 'una', "un'"],
  pt: ['o', 'a', 'os', 'as', 'um', 'uma', 'uns', 'umas'],
  ca: ['el', 'la', 'els', 'les', "l'", 'un', 'una', 'uns', 'unes'],
  en: ['the', 'a', 'an', 'to'],
  nl: ['de', 'het', 'een'],
  sv: ['en', 'ett'],
  da: ['en', 'et'],
  no: ['en', 'ei', 'et'],
  nb: ['en', 'ei', 'et'],
  ro: ['un', 'o'],
};

/** Longest first, so "de la" wins over "de" and "unos" over "un". */
const SORTED = new Map(Object.entries(ARTICLES).map(([lang, list]) => [lang, [...list].sort((a, b) => b.length - a.length)]));

const EDGE_PUNCTUATION = /^[\s¡!¿?.,;:"“”„«»()[\]…-]+|[\s¡!¿?.,;:"“”„«»()[\]…-]+$/gu;

/** The comparable form of a word or short phrase in `language`: "¡La  Cebolla!" (es) → "cebolla". */
export function normaliseItem(text: string, language: string): string {
  let s = text.normalize('NFC').toLocaleLowerCase().replace(/[’ʼ`´]/g, "'").replace(/\s+/g, ' ').replace(EDGE_PUNCTUATION, '');
  for (const article of SORTED.get(language) ?? []) {
    const elided = article.endsWith("'");
    if (elided ? s.startsWith(article) && s.length > article.length : s.startsWith(`${article} `)) {
      s = s.slice(article.length).trimStart();
      break;
    }
  }
  return s;
}

/** Whether `text` (a question, its choices) uses `word`: its normalised form appears as a whole word sequence,
 * or a stem of it (all but the last two letters of a word of 6+ letters: "cortar" in "cortamos"). */
export function mentions(text: string, word: string, language: string): boolean {
  const haystack = ` ${normaliseItem(text, language).replace(/[^\p{L}\p{N}' ]+/gu, ' ')} `;
  const needle = normaliseItem(word, language).replace(/[^\p{L}\p{N}' ]+/gu, ' ').trim();
  if (!needle) return false;
  if (haystack.includes(` ${needle} `)) return true;
  if (needle.includes(' ') || [...needle].length < 6) return false;
  return haystack.includes(` ${[...needle].slice(0, -2).join('')}`);
}
