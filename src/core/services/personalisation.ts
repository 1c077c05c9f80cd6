// Content that fits the learner: the words they already know stay out of new flashcards, and the words they
// keep failing in /review come back in exercises and role-plays. Everything here costs one statement (the
// learner's newest deck cards in the target language) and adds a bounded section after the shared prompt prefix.
import { mentions, normaliseItem } from '../content/known-items.ts';
import type { DeckCardFacts, LearnerMaterialRepository } from '../repositories/learner-material-repository.ts';
import { fold } from '../language/text.ts';
import type { Learner } from './learners.ts';

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
  constructor(private readonly material: LearnerMaterialRepository) {}

  /** The learner's known words in `language`, for a flashcard set on `topic`. */
  async known(learner: Pick<Learner, 'id'>, language: string, topic: string): Promise<KnownItems> {
    const cards = (await this.material.cardsInLanguage(learner.id, language, KNOWN_READ_MAX)).filter((c) => c.source !== 'exercise');
    const set = new Set(cards.map((c) => normaliseItem(c.front, language)));
    return { has: (word) => set.has(normaliseItem(word, language)), forPrompt: knownForPrompt(cards, topic) };
  }

  /** The weak words to practise in `language`, or undefined when the learner turned it off or has fewer than WEAK_MIN. */
  async practise(learner: Pick<Learner, 'id' | 'practiceWeak'>, language: string, questions: number): Promise<PractiseWords | undefined> {
    if (!learner.practiceWeak) return undefined;
    const weak = weakCards(await this.material.cardsInLanguage(learner.id, language, KNOWN_READ_MAX));
    if (weak.length < WEAK_MIN) return undefined;
    return { words: weak.slice(0, WEAK_PROMPT_MAX).map((c) => c.front), atLeast: Math.min(WEAK_QUESTIONS, questions) };
  }
}

function knownForPrompt(cards: DeckCardFacts[], topic: string): string[] {
  const topicWords = new Set(fold(topic).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3));
  const overlap = (c: DeckCardFacts) => fold(`${c.front} ${c.back} ${c.example ?? ''}`).split(/[^\p{L}\p{N}]+/u).filter((w) => topicWords.has(w)).length;
  // Stable sort: among equal overlap, the newest (the read's order) first.
  const ranked = cards.map((card, i) => ({ card, i, score: overlap(card) })).sort((a, b) => b.score - a.score || a.i - b.i);
  const out: string[] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const { card } of ranked) {
    const word = card.front.replace(/\s+/g, ' ').trim();
    if (seen.has(word) || !word) continue;
    if (chars + word.length + 3 > KNOWN_PROMPT_MAX_CHARS) break;
    seen.add(word);
    out.push(word);
    chars += word.length + 3; // " | "
  }
  return out;
}
