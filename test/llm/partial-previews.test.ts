// What a streamed reply may show before it is complete: every prefix of a real reply, cut at every character,
// gives a preview that is a prefix of the final value's items (never an item the final check would drop).
import { describe, expect, it } from 'vitest';
import { exercisesPreview, flashcardsPreview, turnPreview } from '../../src/core/content/previews.ts';
import { parsePartialObject } from '../../src/core/llm/partial-json.ts';

const cards = Array.from({ length: 4 }, (_, i) => ({ word: `palabra ${i}`, translation: `word ${i}`, example: `Uso la palabra ${i}.`, exampleTranslation: `I use word ${i}.` }));

describe('previews of a streamed reply', () => {
  it('flashcards: at every cut, only complete cards, in order, as in the final set', () => {
    const text = '```json\n' + JSON.stringify({ cards, title: 'Palabras' }) + '\n```';
    let last = 0;
    for (let end = 0; end <= text.length; end++) {
      const json = parsePartialObject(text.slice(0, end), { growingStrings: false });
      const preview = json ? flashcardsPreview(json, 8) : undefined;
      const shown = preview?.kind === 'flashcards' ? preview.cards : [];
      expect(shown).toEqual(cards.slice(0, shown.length));
      expect(shown.length).toBeGreaterThanOrEqual(last); // never shrinks
      last = shown.length;
    }
    expect(last).toBe(4); // positive control: the whole set was shown by the end
  });

  it('flashcards: stops at a card the final checks could refuse (too long, word = translation) and caps at the asked count', () => {
    const bad = [cards[0], { ...cards[1], word: 'x'.repeat(201) }, cards[2]];
    expect(flashcardsPreview({ cards: bad }, 8)).toMatchObject({ cards: [cards[0]] });
    const same = [cards[0], { ...cards[1], translation: cards[1]!.word }, cards[2]];
    expect(flashcardsPreview({ cards: same }, 8)).toMatchObject({ cards: [cards[0]] });
    expect(flashcardsPreview({ cards }, 2)).toMatchObject({ cards: cards.slice(0, 2) });
  });

  it('exercises: a question whose answer is not one of its choices is not shown, nor any after it', () => {
    const q = { kind: 'multiple_choice', prompt: '¿Qué es?', choices: ['a', 'b'], answer: 'a', explanation: 'Porque.' };
    expect(exercisesPreview({ questions: [q, { ...q, answer: 'c' }, q] }, 5)).toMatchObject({ questions: [q] });
    expect(exercisesPreview({ questions: [{ ...q, choices: ['a', 'a'] }] }, 5)).toBeUndefined();
  });

  it('a role-play reply grows character by character (escapes included) and is never cut mid-escape', () => {
    const reply = 'Muy bien, Ana. ¿Algo más? "Sí".';
    const text = JSON.stringify({ reply, corrections: [], newWords: [] });
    let previous = '';
    for (let end = 0; end <= text.length; end++) {
      const json = parsePartialObject(text.slice(0, end), { growingStrings: true });
      const preview = json ? turnPreview(json, 'Panadero') : undefined;
      const shown = preview?.kind === 'turn' ? preview.reply : '';
      expect(reply.startsWith(shown)).toBe(true);
      if (shown) previous = shown;
    }
    expect(previous).toBe(reply);
  });
});
