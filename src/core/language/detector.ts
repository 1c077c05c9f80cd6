// Language identification with Nito-ELD (`eld`, its extra-small n-gram database: 60 languages). Chosen over
// tinyld, franc-min and cld3-asm on the labelled set in test/language/labelled-sentences.ts (no false alarm,
// the fastest per sentence, actively released; figures in docs/benchmarks.md, `npm run bench -- --only=language-id`).
// Its database is held compactly (./eld-table.ts: a few MB instead of eld's own ~55 MB of RSS) and still loaded
// lazily, on the first generation, never at start-up: an idle bot does not pay for it.
import { loadCompactEld } from './eld-table.ts';

/** What a detector says about one text. */
export interface Identified {
  /** ISO 639-1 code of the most likely language; '' when the text gives nothing to go on. */
  language: string;
  /** Score per candidate language (higher is likelier), on the detector's own scale. Worked out when first read. */
  readonly scores: Readonly<Record<string, number>>;
  /** The detector's own opinion of whether the top language stands clear of the rest. Worked out when first read. */
  readonly reliable: boolean;
}

export interface LanguageIdentifier {
  identify(text: string): Identified;
  /** Whether the detector knows this ISO 639-1 code at all. */
  supports(language: string): boolean;
}

/** Codes the project stores that the detector spells differently. */
const ALIASES: Record<string, string> = { nb: 'no', nn: 'no', iw: 'he', in: 'id' };

/** The code the detector uses for a stored ISO 639-1 code. */
export function detectorCode(language: string): string {
  return ALIASES[language] ?? language;
}

interface EldLike {
  detect(text: string): { language: string; getScores(): Record<string, number>; isReliable(): boolean };
  info(): { Languages: Record<number, string> };
}

type EldResult = ReturnType<EldLike['detect']>;

/**
 * What eld found in one text. Most generated fields are in their declared language and need neither scores nor
 * reliability: eld ranks and rescales all 60 languages for them (about a third of its time per text), so they are
 * worked out only when read. A class, not an object literal with getters: V8 allocates a literal's accessor
 * pairs in the old generation, which kept every result (eld's closures and score array) alive until the next
 * mark-compact, ~9 KB per /flashcards (docs/benchmarks.md, sixteenth pass).
 */
class EldIdentified implements Identified {
  readonly language: string;
  private orderedScores: Record<string, number> | undefined;
  private judgedReliable: boolean | undefined;

  constructor(private readonly result: EldResult) {
    this.language = result.language;
  }

  get scores(): Record<string, number> {
    return (this.orderedScores ??= this.result.getScores());
  }

  get reliable(): boolean {
    return (this.judgedReliable ??= this.result.isReliable());
  }
}

/** Wraps an eld instance (also used by the bench to compare database sizes). */
export function eldIdentifier(eld: EldLike): LanguageIdentifier {
  const known = new Set(Object.values(eld.info().Languages));
  return {
    identify: (text) => new EldIdentified(eld.detect(text)),
    supports: (language) => known.has(detectorCode(language)),
  };
}

let loaded: LanguageIdentifier | undefined;
let loading: Promise<LanguageIdentifier | undefined> | undefined;

/**
 * Loads the detector once (about a tenth of a second, the first time only). A detector that
 * cannot be loaded leaves the language checks silent rather than failing generations; the error is returned
 * once for the caller to log.
 */
export function loadLanguageDetector(): Promise<{ identifier: LanguageIdentifier | undefined; error?: unknown }> {
  if (loaded) return Promise.resolve({ identifier: loaded });
  let failure: unknown;
  loading ??= loadCompactEld().then(
    (eld) => {
      loaded = eldIdentifier(eld as EldLike);
      return loaded;
    },
    (error: unknown) => {
      failure = error;
      loading = undefined; // a later generation tries again
      return undefined;
    },
  );
  return loading.then((identifier) => (failure === undefined ? { identifier } : { identifier, error: failure }));
}

/** The detector when it is loaded; undefined before the first load finished (checks then say nothing). */
export function loadedLanguageDetector(): LanguageIdentifier | undefined {
  return loaded;
}
