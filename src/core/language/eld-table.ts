// eld's extra-small n-gram database, held compactly. Importing `eld/extrasmall` evaluates a 1 MB object literal
// of ~56 000 entries like {59: 64}, each a holey array of up to 60 slots: ~28 MB of heap for as long as the
// process lives (module exports are never freed) and ~80 MB of RSS while V8 parses it. Here the same file is
// read as text into a Map from n-gram to an offset in two typed arrays (~4 MB), and eld's own detector (the
// exact eld version is pinned in package.json) is given a view that builds each entry when it is looked up.
import { readFile } from 'node:fs/promises';

/** What eld's detector reads of a database (see eld's languageData.js `setNgrams`). */
export interface EldData {
  type: string;
  languages: Record<number, string>;
  ngrams: Record<string, Record<number, number> | undefined>;
}

export interface EldInstanceFactory {
  createEld(): { instance: unknown; loadData(data: EldData): string };
}

/** Built n-gram entries kept (of ~56 000; a few hundred bytes each); beyond it the oldest built goes. */
const ENTRIES_KEPT = 4096;

const ENTRY = /(?:'((?:[^'\\]|\\.)*)'|([^'{},:]+)):\{([^}]*)\}/g;
const PAIR = /(\d+):(\d+)/g;

/** Parses the `ngrams:{…}` part of an eld database file into a compact table. */
export function parseEldDatabase(source: string): EldData {
  const type = /type:'([^']*)'/.exec(source)?.[1];
  const languagesText = /languages:\{([^}]*)\}/.exec(source)?.[1];
  const start = source.indexOf('ngrams:{');
  if (!type || languagesText === undefined || start < 0) throw new Error('eld database: unexpected file layout');
  const languages: Record<number, string> = {};
  for (const [, id, code] of languagesText.matchAll(/(\d+):'([^']*)'/g)) languages[Number(id)] = code!;

  const index = new Map<string, number>();
  const bounds: number[] = [0];
  const langs: number[] = [];
  const scores: number[] = [];
  ENTRY.lastIndex = start + 'ngrams:{'.length;
  for (let match = ENTRY.exec(source); match; match = ENTRY.exec(source)) {
    const key = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!.trim();
    for (const [, lang, score] of match[3]!.matchAll(PAIR)) {
      langs.push(Number(lang));
      scores.push(Number(score));
    }
    index.set(key, bounds.length - 1);
    bounds.push(langs.length);
  }
  if (index.size === 0) throw new Error('eld database: no n-grams found');
  const bound = Uint32Array.from(bounds);
  const lang = Uint8Array.from(langs);
  const score = Uint16Array.from(scores);

  const entry = (i: number): Record<number, number> => {
    const scored: Record<number, number> = {};
    for (let k = bound[i]!; k < bound[i + 1]!; k++) scored[lang[k]!] = score[k]!;
    return scored;
  };
  // Entries built once are kept (eld only reads them), up to ENTRIES_KEPT, the oldest built going first: each
  // check looks up every n-gram of its texts, and building them anew was the largest share of the checks' garbage.
  const built = new Map<number, Record<number, number>>();
  const cachedEntry = (i: number): Record<number, number> => {
    let scored = built.get(i);
    if (scored === undefined) {
      if (built.size >= ENTRIES_KEPT) built.delete(built.keys().next().value!);
      built.set(i, (scored = entry(i)));
    }
    return scored;
  };
  const ngrams = new Proxy({} as Record<string, Record<number, number> | undefined>, {
    get: (_target, key) => {
      const i = typeof key === 'string' ? index.get(key) : undefined;
      return i === undefined ? undefined : cachedEntry(i);
    },
    has: (_target, key) => typeof key === 'string' && index.has(key),
  });
  return { type, languages, ngrams };
}

/** An eld detector over the compact extra-small database (same results as `import('eld/extrasmall')`). */
export async function loadCompactEld(): Promise<unknown> {
  const entry = import.meta.resolve('eld'); // eld/src/entries/dynamic.js: its siblings are not exported
  const source = await readFile(new URL('../ngrams/extrasmall.js', entry), 'utf8');
  const data = parseEldDatabase(source);
  const { createEld } = (await import(new URL('../languageDetector.js', entry).href)) as EldInstanceFactory;
  const { instance, loadData } = createEld();
  if (!loadData(data)) throw new Error('eld rejected the database');
  return instance;
}
