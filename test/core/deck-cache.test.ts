// The deck cache personalisation keeps between requests: an entry only for the fingerprint it was made for,
// and never more cards held than its bound (least recently used out first).
import { describe, expect, it } from 'vitest';
import { DeckCache } from '../../src/core/services/deck-cache.ts';
import type { DeckCardFacts } from '../../src/core/repositories/learner-material-repository.ts';

const cards = (n: number): DeckCardFacts[] =>
  Array.from({ length: n }, (_, i) => ({ front: `w${i}`, back: `b${i}`, example: null, source: 'flashcards', reps: 0, lapses: 0, stability: 0, state: 0, lastReview: null }));

describe('DeckCache', () => {
  it('gives an entry back only for the same fingerprint, with what was derived from it', () => {
    const cache = new DeckCache(100);
    const view = cache.set('ana:es', 'f1', cards(3));
    view.derived.set('known', 'derived once');
    expect(cache.get('ana:es', 'f1')?.derived.get('known')).toBe('derived once');
    expect(cache.get('ana:es', 'f2')).toBeUndefined();
    expect(cache.get('ana:es', 'f1')).toBeUndefined(); // the stale entry is gone
    expect(cache.stats()).toEqual({ decks: 0, cards: 0 });
  });

  it('holds at most its bound of cards, dropping the least recently used decks', () => {
    const cache = new DeckCache(100);
    cache.set('a', 'f', cards(40));
    cache.set('b', 'f', cards(40));
    expect(cache.get('a', 'f')).toBeDefined(); // a is now the most recently used
    cache.set('c', 'f', cards(40));
    expect(cache.stats()).toEqual({ decks: 2, cards: 80 });
    expect(cache.get('b', 'f')).toBeUndefined();
    expect(cache.get('a', 'f')).toBeDefined();
    expect(cache.get('c', 'f')).toBeDefined();
    // A deck over the bound is served but not kept; replacing an entry does not count it twice.
    expect(cache.set('huge', 'f', cards(101)).cards).toHaveLength(101);
    cache.set('a', 'g', cards(10));
    expect(cache.stats()).toEqual({ decks: 2, cards: 50 });
    cache.drop('a');
    expect(cache.stats()).toEqual({ decks: 1, cards: 40 });
  });
});
