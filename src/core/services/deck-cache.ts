// The learners' newest deck cards per language, kept between requests with what personalisation derives
// from them. Reading 2 000 cards and folding every one for the topic ranking cost a learner with a big deck
// ~15–20 ms of CPU on every generation; an entry is reused while the deck's fingerprint (one cheap statement,
// LearnerMaterialRepository.deckFingerprint) is unchanged, so every process, also on PostgreSQL, sees a change
// at its next request. Bounded by the cards held, least recently used out first.
import type { DeckCardFacts } from '../repositories/learner-material-repository.ts';

/** Cards held across all entries: with what is derived from them up to about 1 KB each, so ~10 MB at most. */
export const CARDS_KEPT = 10_000;

export interface DeckView {
  fingerprint: string;
  /** Newest first, as read. */
  cards: DeckCardFacts[];
  /** Filled in by the first request that needs it, then reused with the entry. */
  derived: Map<string, unknown>;
}

export class DeckCache {
  private readonly entries = new Map<string, DeckView>();
  private held = 0;

  constructor(private readonly cardsKept = CARDS_KEPT) {}

  /** The entry for `key` when it was made for `fingerprint`, else undefined (and the stale entry is dropped). */
  get(key: string, fingerprint: string): DeckView | undefined {
    const view = this.entries.get(key);
    if (!view) return undefined;
    this.drop(key);
    if (view.fingerprint !== fingerprint) return undefined;
    this.entries.set(key, view); // Map order is insertion order: now the most recently used
    this.held += view.cards.length;
    return view;
  }

  set(key: string, fingerprint: string, cards: DeckCardFacts[]): DeckView {
    this.drop(key);
    const view: DeckView = { fingerprint, cards, derived: new Map() };
    if (cards.length > this.cardsKept) return view;
    this.entries.set(key, view);
    this.held += cards.length;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.cardsKept) break;
      this.entries.delete(oldest);
      this.held -= entry.cards.length;
    }
    return view;
  }

  drop(key: string): void {
    const view = this.entries.get(key);
    if (!view) return;
    this.entries.delete(key);
    this.held -= view.cards.length;
  }

  stats(): { decks: number; cards: number } {
    return { decks: this.entries.size, cards: this.held };
  }
}
