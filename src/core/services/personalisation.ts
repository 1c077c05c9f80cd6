// Content that fits the learner: the words they already know stay out of new flashcards, and the words they
// keep failing in /review come back in exercises and role-plays. Everything here costs one statement (the deck's
// fingerprint; on a change, a second reads the learner's newest deck cards in the target language, kept in a
// DeckCache) and adds a bounded section after the shared prompt prefix.
import { mentions, normaliseItem } from '../content/known-items.ts';
import type { DeckCardFacts, LearnerMaterialRepository } from '../repositories/learner-material-repository.ts';
import { fold } from '../language/text.ts';
import type { Learner } from './learners.ts';
import { DeckCache, type DeckView } from './deck-cache.ts';

/**
 * Deck cards read per request, newest first. Fronts are short (≤ 200 characters): 2 000 rows are well under
 * a megabyte and one indexed read, while a learner's whole deck may hold 100 000 cards. Older cards beyond it
 * are not filtered out (a word learned 2 000 cards ago may come back once: a review, not a loss).
 */
export const KNOWN_READ_MAX = 2000;

/**
 * Known words put into the prompt: at most this many characters of them (about 75 tokens at 4 characters per
 * token: 20–25 words), whole words only, the ones sharing a word with the topic first, then the newest. Every
 * token after the shared prefix is paid in full on every request; the list only spares the model work that
 * the filter after generation would throw away. The filter (all KNOWN_READ_MAX cards) is the guarantee, not
 * the list. With it a /flashcards prompt for a deck of 500 cards stays within 1.3× the prompt without
 * personalisation (about 410 tokens; `npm run bench -- --only=personal-prompt` prints the ratio).
 */
export const KNOWN_PROMPT_MAX_CHARS = 300;

/** Weak cards named in a prompt, and how many a learner needs before exercises bring them back. */
export const WEAK_PROMPT_MAX = 5;
export const WEAK_MIN = 3;
/** Questions of a set that must use weak words (fewer when the set is smaller). */
export const WEAK_QUESTIONS = 2;
/** FSRS stability (days) below which a reviewed card counts as weak: an Again on a new card leaves it near 0.2. */
export const WEAK_STABILITY_DAYS = 1;
const RELEARNING = 3; // ts-fsrs State.Relearning: the last review of a learned card was Again

export interface KnownItems {
  /** Normalised forms (see normaliseItem) of every card read. */
  has(word: string): boolean;
  /** The bounded list for the prompt. */
  forPrompt: string[];
}

export interface PractiseWords {
  words: string[];
  /** How many questions must use them. */
  atLeast: number;
}

/**
 * Weak: reviewed at least once and failing (lapses: Again on a learned card; Relearning: the last review was
 * Again; stability under a day: an Again, or Hard twice, on a new card). Exercise-made cards (a question on
 * the front) are not words to practise. Weakest first: most lapses, then the lowest stability.
 */
export function weakCards(cards: DeckCardFacts[]): DeckCardFacts[] {
  return cards
    .filter((c) => c.source !== 'exercise' && c.reps > 0 && (c.lapses > 0 || c.state === RELEARNING || c.stability < WEAK_STABILITY_DAYS))
    .sort((a, b) => b.lapses - a.lapses || a.stability - b.stability);
}

/** How many of `words` the texts use (each word counted once). */
export function wordsUsed(words: string[], texts: string[], language: string): number {
  return words.filter((w) => texts.some((text) => mentions(text, w, language))).length;
}

export class PersonalisationService {
  constructor(
    private readonly material: LearnerMaterialRepository,
    private readonly decks = new DeckCache(),
  ) {}

  /** The learner's known words in `language`, for a flashcard set on `topic`. */
  async known(learner: Pick<Learner, 'id'>, language: string, topic: string): Promise<KnownItems> {
    const deck = await this.deck(learner.id, language);
    if (!deck) return NOTHING_KNOWN;
    const words = derive(deck, 'known', () => knownWords(deck.cards, language));
    return { has: (word) => words.set.has(normaliseItem(word, language)), forPrompt: knownForPrompt(words, topic) };
  }

  /** The weak words to practise in `language`, or undefined when the learner turned it off or has fewer than WEAK_MIN. */
  async practise(learner: Pick<Learner, 'id' | 'practiceWeak'>, language: string, questions: number): Promise<PractiseWords | undefined> {
    if (!learner.practiceWeak) return undefined;
    const deck = await this.deck(learner.id, language);
    const weak = deck ? derive(deck, 'weak', () => weakCards(deck.cards)) : [];
    if (weak.length < WEAK_MIN) return undefined;
    return { words: weak.slice(0, WEAK_PROMPT_MAX).map((c) => c.front), atLeast: Math.min(WEAK_QUESTIONS, questions) };
  }

  /** The learner's newest cards in `language` (undefined: none), read again only when the deck changed. */
  private async deck(learnerId: number, language: string): Promise<DeckView | undefined> {
    const key = `${learnerId}\u0000${language}`;
    const fingerprint = await this.material.deckFingerprint(learnerId, language);
    if (!fingerprint) {
      this.decks.drop(key);
      return undefined;
    }
    return this.decks.get(key, fingerprint) ?? this.decks.set(key, fingerprint, await this.material.cardsInLanguage(learnerId, language, KNOWN_READ_MAX));
  }
}

const NOTHING_KNOWN: KnownItems = { has: () => false, forPrompt: [] };

function derive<T>(deck: DeckView, name: string, make: () => T): T {
  if (!deck.derived.has(name)) deck.derived.set(name, make());
  return deck.derived.get(name) as T;
}

/** What the known-words filter and list need of a deck, worked out once per deck version. */
interface KnownWords {
  /** Normalised fronts of the word cards. */
  set: Set<string>;
  /** The word cards, newest first. */
  cards: DeckCardFacts[];
  /** For the topic ranking: each folded word of 3+ letters (front, back, example) → the cards using it, in order. */
  cardsWith: Map<string, number[]>;
}

function knownWords(deck: DeckCardFacts[], language: string): KnownWords {
  const cards = deck.filter((c) => c.source !== 'exercise');
  const cardsWith = new Map<string, number[]>();
  cards.forEach((c, i) => {
    for (const word of new Set(fold(`${c.front} ${c.back} ${c.example ?? ''}`).split(WORD_BREAK))) {
      if (word.length < 3) continue;
      const list = cardsWith.get(word);
      if (list) list.push(i);
      else cardsWith.set(word, [i]);
    }
  });
  return { set: new Set(cards.map((c) => normaliseItem(c.front, language))), cards, cardsWith };
}

const WORD_BREAK = /[^\p{L}\p{N}]+/u;

function knownForPrompt(known: KnownWords, topic: string): string[] {
  // The cards sharing words with the topic first, the most topic words first (then the newest), then all of
  // them newest first; the list fills up long before the end.
  const shared = new Map<number, number>();
  for (const word of new Set(fold(topic).split(WORD_BREAK).filter((w) => w.length >= 3))) {
    for (const i of known.cardsWith.get(word) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
  }
  const sharing = [...shared].sort(([a, sa], [b, sb]) => sb - sa || a - b).map(([i]) => known.cards[i]!);
  const out: string[] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const cards of [sharing, known.cards]) {
    for (const card of cards) {
      const word = card.front.replace(/\s+/g, ' ').trim();
      if (seen.has(word) || !word) continue;
      if (chars + word.length + 3 > KNOWN_PROMPT_MAX_CHARS) return out;
      seen.add(word);
      out.push(word);
      chars += word.length + 3; // " | "
    }
  }
  return out;
}
