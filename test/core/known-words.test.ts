// The known words personalisation puts into a /flashcards prompt and filters with: the cards sharing words
// with the topic first (the most shared first, then the newest), then the newest; bounded in characters; read
// once per deck version. The repository is given as what it returns (its SQL is tested in hot-writes.test.ts).
import { describe, expect, it } from 'vitest';
import { KNOWN_PROMPT_MAX_CHARS, PersonalisationService } from '../../src/core/services/personalisation.ts';
import type { DeckCardFacts, LearnerMaterialRepository } from '../../src/core/repositories/learner-material-repository.ts';

const card = (front: string, back: string, example: string | null = null, source = 'flashcards'): DeckCardFacts => ({
  front, back, example, source, reps: 0, lapses: 0, stability: 0, state: 0, lastReview: null,
});

function serviceOver(deck: DeckCardFacts[]) {
  const reads = { fingerprint: 0, cards: 0 };
  let fingerprint = 'v1';
  const material = {
    deckFingerprint: async () => (reads.fingerprint++, deck.length ? fingerprint : ''),
    cardsInLanguage: async () => (reads.cards++, deck),
  } as unknown as LearnerMaterialRepository;
  return { service: new PersonalisationService(material), reads, change: (next: string) => (fingerprint = next) };
}

describe('known words for a prompt', () => {
  // Newest first, as the repository reads them.
  const deck = [
    card('el tenedor', 'the fork'),
    card('la mesa', 'the table', 'Pongo la mesa en la cocina.'),
    card('¿Qué es "la cocina"?', 'the kitchen', null, 'exercise'),
    card('el horno', 'the oven', 'El horno de la cocina está caliente, la cocina es grande.'),
    card('el perro', 'the dog'),
    card('la cocina', 'the kitchen'),
  ];

  it('puts the cards sharing topic words first (most shared, then newest), then the newest; exercise cards never', async () => {
    const { service } = serviceOver(deck);
    const known = await service.known({ id: 1 }, 'es', 'Cocina caliente');
    expect(known.forPrompt).toEqual(['el horno', 'la mesa', 'la cocina', 'el tenedor', 'el perro']);
    expect(known.has('La Cocina')).toBe(true);
    expect(known.has('el gato')).toBe(false);
    expect(known.has('¿Qué es "la cocina"?')).toBe(false);
    // A topic without a word of 3+ letters: the newest first.
    expect((await service.known({ id: 1 }, 'es', 'a b')).forPrompt).toEqual(['el tenedor', 'la mesa', 'el horno', 'el perro', 'la cocina']);
  });

  it(`stops before ${KNOWN_PROMPT_MAX_CHARS} characters, whole words only`, async () => {
    const many = Array.from({ length: 100 }, (_, i) => card(`la palabra${i}`, `word ${i}`));
    const known = await serviceOver(many).service.known({ id: 1 }, 'es', 'palabras');
    expect(known.forPrompt.join(' | ').length).toBeLessThanOrEqual(KNOWN_PROMPT_MAX_CHARS);
    expect(known.forPrompt.slice(0, 2)).toEqual(['la palabra0', 'la palabra1']);
    expect(known.forPrompt.length).toBeGreaterThan(15);
  });

  it('reads the cards once per deck version; the fingerprint on every request', async () => {
    const { service, reads, change } = serviceOver(deck);
    await service.known({ id: 1 }, 'es', 'cocina');
    await service.known({ id: 1 }, 'es', 'perro');
    await service.practise({ id: 1, practiceWeak: true }, 'es', 5);
    expect(reads).toEqual({ fingerprint: 3, cards: 1 });
    change('v2');
    await service.known({ id: 1 }, 'es', 'cocina');
    expect(reads).toEqual({ fingerprint: 4, cards: 2 });
    await service.known({ id: 1 }, 'fr', 'cuisine'); // another language is another deck
    expect(reads).toEqual({ fingerprint: 5, cards: 3 });
  });
});
