// The wrong-language check on the labelled set (test/language/labelled-sentences.ts) with the detector the bot
// loads: every sentence is judged against every language of the set as its declared language. A sentence in
// another language than the declared one is a case to catch (recall); a sentence in its own language must never
// be flagged (precision, false alarms). Short fields (words, names, loanwords) must never be flagged. The figures
// are printed in the test output; `npm run bench -- --only=language-id` compares the detectors.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguageDetector, type LanguageIdentifier } from '../../src/core/language/detector.ts';
import { isLongEnough, judgeLanguage, wrongLanguageIn } from '../../src/core/language/wrong-language.ts';
import { flashcardProblems } from '../../src/core/content/checks.ts';
import type { FlashcardSet } from '../../src/core/content/schemas.ts';
import { HARD_CASES, SENTENCES } from './labelled-sentences.ts';
import { scoreWrongLanguage } from './score.ts';

let identifier: LanguageIdentifier;
beforeAll(async () => {
  const loaded = await loadLanguageDetector();
  expect(loaded.error).toBeUndefined();
  identifier = loaded.identifier!;
});

describe('wrong-language check on the labelled set', () => {
  it('catches at least 95 % of the clear cases with no false alarm, and prints precision and recall', () => {
    const score = scoreWrongLanguage(identifier, SENTENCES, HARD_CASES);
    console.log(
      [
        `wrong-language check (eld extra-small) on ${score.sentences} labelled sentences in ${Object.keys(SENTENCES).length} languages × ${Object.keys(SENTENCES).length} declared languages:`,
        `  precision ${(score.precision * 100).toFixed(2)} % (false alarms: ${score.falseAlarms}), recall ${(score.recall * 100).toFixed(2)} % (${score.caught}/${score.clearCases} clear cases caught)`,
        `  too short to judge: ${score.tooShort} sentences; hard cases (words, names, loanwords) flagged: ${score.hardFlagged}/${HARD_CASES.length}`,
        `  identification accuracy ${(score.accuracy * 100).toFixed(1)} %; missed pairs by language: ${JSON.stringify(score.missedByPair)}`,
      ].join('\n'),
    );
    expect(score.falseAlarmSamples).toEqual([]);
    expect(score.falseAlarms).toBe(0);
    expect(score.hardFlagged).toBe(0);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    // Positive control: the score counts real catches (not an empty set that passes trivially).
    expect(score.clearCases).toBeGreaterThan(3000);
    expect(score.caught).toBeGreaterThan(0);
  });

  it('states its length rule: words, names and loanwords are too short to judge; sentences are not', () => {
    for (const hard of HARD_CASES.filter((h) => !h.what.includes('sentence'))) expect(isLongEnough(hard.text), hard.text).toBe(false);
    expect(isLongEnough('Necesito el cuchillo para cocinar.')).toBe(true);
    expect(isLongEnough('我姐姐在市中心的一家医院工作。')).toBe(true);
    expect(isLongEnough('中华人民共和国')).toBe(false); // a name
    expect(judgeLanguage(identifier, 'I need the knife to cook dinner.', 'es', 'en')).toBe('en');
    expect(judgeLanguage(identifier, 'el marketing', 'es', 'en')).toBeUndefined();
  });

  it('decides on a whole set: one English loanword card passes, English examples do not, English meanings for a German learner do not', () => {
    const pins = { targetLanguage: 'es', baseLanguage: 'en', level: 'A2' as const };
    const spanish: FlashcardSet = {
      title: 'Trabajo',
      cards: [
        { word: 'el marketing', translation: 'marketing', example: 'El marketing digital es muy importante hoy.', exampleTranslation: 'Digital marketing is very important today.' },
        { word: 'la reunión', translation: 'the meeting', example: 'La reunión empieza a las nueve.', exampleTranslation: 'The meeting starts at nine.' },
        { word: 'el jefe', translation: 'the boss', example: 'Mi jefe trabaja mucho.', exampleTranslation: 'My boss works a lot.' },
      ],
    };
    expect(flashcardProblems(spanish, pins, identifier)).toEqual([]);

    const englishExamples: FlashcardSet = {
      ...spanish,
      cards: spanish.cards.map((c) => ({ ...c, example: c.exampleTranslation })),
    };
    const kinds = flashcardProblems(englishExamples, pins, identifier).map((p) => p.kind);
    expect(kinds).toContain('wrong_language_target');

    // A German learner's meanings must be in German: English ones are caught on the base-language side.
    const forGerman = flashcardProblems(spanish, { ...pins, baseLanguage: 'de' }, identifier);
    expect(forGerman.map((p) => p.kind)).toEqual(['wrong_language_base']);
    expect(forGerman[0]!.detail).toMatch(/base language \(de\), German, are in English/);

    // One English example among Spanish ones is caught alone, and named.
    const oneEnglish = wrongLanguageIn(
      identifier,
      [
        { path: 'cards[0].example', text: 'Corto las cebollas mientras hierve el agua.' },
        { path: 'cards[1].example', text: 'I cut the onions while the water boils.' },
        { path: 'cards[2].example', text: 'Vuelve a poner el cuchillo en el cajón.' },
      ],
      'es',
      'en',
    );
    expect(oneEnglish).toEqual({ declared: 'es', found: 'en', paths: ['cards[1].example'] });
  });
});
