// The checks before anything is shown (src/core/content/checks.ts), through the front door, the real LLM
// client and the fake OpenAI server: each problem kind gets the one repair request (counted at the fake), whose
// instruction names it; a language problem still there after the repair ends with the learner's message in their
// language; a structural one is mended (the faulty item dropped, the missing ones asked for once). Every kind is
// counted in /metrics (tutor_content_problems_total), read over HTTP from the ops server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOps } from '../../src/ops/index.ts';
import type { OpsServer } from '../../src/ops/server.ts';
import { CATALOGUES } from '../../src/core/i18n/index.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import type { FakeOpenAIRequest } from '../support/fake-openai.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { message } from '../faults/helpers.ts';

/** Overrides for the fake's content, one per request of that schema (then the normal Spanish content again). */
const overrides = new Map<string, unknown[]>();
function respond(req: FakeOpenAIRequest): unknown {
  const queued = overrides.get(req.schemaName ?? '');
  if (queued?.length) return queued.shift();
  return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
}

type Card = { word: string; translation: string; example: string; exampleTranslation: string };
const SPANISH: Card[] = [
  { word: 'el cuchillo', translation: 'the knife', example: 'Corto el pan con el cuchillo.', exampleTranslation: 'I cut the bread with the knife.' },
  { word: 'la olla', translation: 'the pot', example: 'La olla está en el fuego.', exampleTranslation: 'The pot is on the stove.' },
  { word: 'hervir', translation: 'to boil', example: 'Tienes que hervir el agua primero.', exampleTranslation: 'You have to boil the water first.' },
];
const cards = (list: Card[]) => ({ title: 'En la cocina', cards: list });
const withEnglishExamples = cards(SPANISH.map((c) => ({ ...c, example: c.exampleTranslation })));

type Question = { kind: 'multiple_choice' | 'fill_in'; prompt: string; choices: string[]; answer: string; explanation: string };
const QUESTIONS: Question[] = [
  { kind: 'fill_in', prompt: 'Yo ___ las verduras.', choices: ['corto', 'cortas', 'cortan'], answer: 'corto', explanation: 'First person singular of "cortar".' },
  { kind: 'multiple_choice', prompt: '¿Qué usas para cortar el pan?', choices: ['el cuchillo', 'la cuchara', 'el vaso'], answer: 'el cuchillo', explanation: 'A knife cuts bread.' },
];
const exercises = (list: Question[]) => ({ title: 'Práctica', questions: list });

let t: TestCore;
let ops: OpsServer;
beforeAll(async () => {
  t = await createTestCore();
  t.openai!.respondWith(respond);
  ops = await startOps(t.core, () => [], t.logger, 0);
});
afterAll(async () => {
  await ops.close();
  await t.close();
});
beforeEach(() => overrides.clear());

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
async function ask(text: string, who = ana()) {
  const before = t.openai!.requests.length;
  const text_ = replyText(await t.frontDoor.text(who, text, { addressed: true }));
  const requests = t.openai!.requests.slice(before);
  return { text: text_, requests, repair: requests.length > 1 ? requests[1]!.messages.at(-1)!.content : undefined };
}

async function problemCounts(): Promise<Record<string, number>> {
  const body = await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of body.matchAll(/^tutor_content_problems_total\{kind="([a-z_]+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

/** Runs `action` and returns by how much each problem kind's counter grew. */
async function counted(action: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await problemCounts();
  await action();
  const after = await problemCounts();
  return Object.fromEntries(Object.entries(after).filter(([kind, n]) => n !== (before[kind] ?? 0)).map(([kind, n]) => [kind, n - (before[kind] ?? 0)]));
}

describe('language of every declared field', () => {
  it('a Spanish set answered with English examples: one repair request naming them, then the Spanish content', async () => {
    overrides.set('flashcards', [withEnglishExamples]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/flashcards kitchen count:3')))).toEqual({ wrong_language_target: 1 }); // not also example_missing_word: the examples' language is the problem
    expect(r.requests).toHaveLength(2);
    expect(r.repair).toMatch(/target language \(es\), Spanish, are in English: cards\[0\]\.example, cards\[1\]\.example, cards\[2\]\.example/);
    expect(r.text).toContain('Necesito el cuchillo para cocinar.'); // the repair reply (the fake's Spanish content)
    expect(r.text).not.toContain('I cut the bread with the knife.');
  });

  it('English examples twice: the learner’s message, in their own language', async () => {
    overrides.set('flashcards', [withEnglishExamples, withEnglishExamples]);
    const r = await ask('/flashcards kitchen count:3');
    expect(r.requests).toHaveLength(2);
    expect(r.text).toMatch(message('errors.wrongLanguage'));
    // A German-speaking learner (German meanings, German interface) reads it in German.
    const greta = incomingFrom(t.logger, { id: 'greta', name: 'Greta', locale: 'de' });
    await ask('/settings base:de', greta);
    const german = cards(SPANISH.map((c, i) => ({ ...c, translation: ['das Messer', 'der Topf', 'kochen'][i]!, example: c.exampleTranslation, exampleTranslation: ['Ich schneide das Brot mit dem Messer.', 'Der Topf steht auf dem Herd.', 'Wasser kocht bei hundert Grad.'][i]! })));
    overrides.set('flashcards', [german, german]);
    const g = await ask('/flashcards kitchen count:3', greta);
    expect(g.requests).toHaveLength(2);
    expect(g.text).toContain(CATALOGUES.de.errors.wrongLanguage);
  });

  it('one English loanword in a Spanish card never triggers it (positive control: the same set with English examples does)', async () => {
    const loanword = cards([{ word: 'el marketing', translation: 'marketing', example: 'El marketing digital es muy importante hoy.', exampleTranslation: 'Digital marketing is very important today.' }, ...SPANISH.slice(0, 2)]);
    overrides.set('flashcards', [loanword]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/flashcards marketing count:3')))).toEqual({});
    expect(r.requests).toHaveLength(1);
    expect(r.text).toContain('el marketing');
    overrides.set('flashcards', [cards(loanwordInEnglish()), loanword]);
    expect((await ask('/flashcards marketing count:3')).requests).toHaveLength(2);
  });

  it('base-language fields: Spanish meanings for an English speaker are repaired', async () => {
    const spanishMeanings = cards(SPANISH.map((c) => ({ ...c, exampleTranslation: c.example, translation: c.word })));
    overrides.set('flashcards', [spanishMeanings]);
    let r!: Awaited<ReturnType<typeof ask>>;
    const kinds = await counted(async () => (r = await ask('/flashcards kitchen count:3')));
    expect(kinds).toMatchObject({ wrong_language_base: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.repair).toMatch(/base language \(en\), English, are in Spanish/);
  });

  it('a role-play opening and dialogue in English: repaired', async () => {
    const english = {
      title: 'At the bakery',
      setting: 'A small bakery.',
      botRole: 'Baker',
      learnerRole: 'Customer',
      openingLine: 'Good morning! What would you like to buy today?',
      exampleDialogue: [{ speaker: 'Customer', text: 'I would like a loaf of bread, please.' }],
      keyPhrases: [],
    };
    overrides.set('scenario', [english]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/simulate buying bread')))).toEqual({ wrong_language_target: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.text).toContain('En la panadería');
    await ask('/end');
  });
});

describe('structure', () => {
  it('cards repeating a word: one repair; repeated twice, the repeat is dropped and the missing card asked for once', async () => {
    const repeated = cards([SPANISH[0]!, SPANISH[1]!, { ...SPANISH[0]!, example: 'Necesito el cuchillo ahora.' }]);
    overrides.set('flashcards', [repeated]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/flashcards kitchen count:3')))).toEqual({ duplicate_cards: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.repair).toMatch(/Cards repeat a word already in the set: cards\[2\]\.word/);

    overrides.set('flashcards', [repeated, repeated, cards([SPANISH[2]!])]);
    const kinds = await counted(async () => (r = await ask('/flashcards kitchen count:3')));
    expect(kinds).toEqual({ duplicate_cards: 2, count_short: 1 });
    expect(r.requests).toHaveLength(3); // first, repair, one follow-up for the missing card
    expect(r.text).toContain('hervir');
    expect(r.text).toContain('Corto el pan con el cuchillo.');
    expect(r.text).not.toContain('Necesito el cuchillo ahora.'); // the repeated card was dropped
  });

  it('a structural problem, then a repair reply that is not even JSON: the first reply is mended and shown, nothing lost', async () => {
    const repeated = cards([SPANISH[0]!, SPANISH[1]!, { ...SPANISH[0]!, example: 'Necesito el cuchillo ahora.' }]);
    overrides.set('flashcards', [repeated, cards([SPANISH[2]!])]);
    t.openai!.failNext({ delayMs: 0 }, { invalidJson: true }); // the first request answers normally, the repair breaks
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/flashcards kitchen count:3')))).toEqual({ duplicate_cards: 1, count_short: 1 });
    expect(r.requests).toHaveLength(3); // first, the broken repair, the follow-up for the dropped card
    expect(r.text).toContain('hervir');
    expect(r.text).not.toContain('Necesito el cuchillo ahora.');
  });

  it('an example that does not use its card’s word: one repair; an inflected form passes', async () => {
    const unrelated = cards([SPANISH[0]!, SPANISH[1]!, { ...SPANISH[2]!, example: 'Me gusta la playa.' }]);
    overrides.set('flashcards', [unrelated]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/flashcards kitchen count:3')))).toEqual({ example_missing_word: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.repair).toMatch(/cards\[2\] \("hervir"\)/);
    // Inflected forms pass (a stem match): 'cortar' → 'corto', 'el cuchillo' → 'los cuchillos'.
    const inflected = cards([{ ...SPANISH[0]!, example: 'Guardo los cuchillos en el cajón.' }, { word: 'cortar', translation: 'to cut', example: 'Yo corto el pan.', exampleTranslation: 'I cut the bread.' }, SPANISH[1]!]);
    overrides.set('flashcards', [inflected]);
    expect(await counted(async () => (r = await ask('/flashcards kitchen count:3')))).toEqual({});
    expect(r.requests).toHaveLength(1);
  });

  it('an answer that is not one of its choices: one repair; twice, the question is dropped and one more asked for', async () => {
    const wrongAnswer = exercises([QUESTIONS[0]!, { ...QUESTIONS[1]!, answer: 'el tenedor' }]);
    overrides.set('exercises', [wrongAnswer]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/exercises kitchen count:2')))).toEqual({ answer_not_in_choices: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.repair).toMatch(/The answer is not one of the choices: questions\[1\]/);

    overrides.set('exercises', [wrongAnswer, wrongAnswer, exercises([QUESTIONS[1]!])]);
    expect(await counted(async () => (r = await ask('/exercises kitchen count:2')))).toEqual({ answer_not_in_choices: 2, count_short: 1 });
    expect(r.requests).toHaveLength(3);
  });

  it('repeated choices, a repeated question and a fill-in sentence without its gap: each named in the one repair', async () => {
    const faulty = exercises([
      { ...QUESTIONS[0]!, prompt: 'Yo corto las verduras.' },
      { ...QUESTIONS[1]!, choices: ['el cuchillo', 'el cuchillo', 'la cuchara'] },
      QUESTIONS[1]!,
    ]);
    overrides.set('exercises', [faulty]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/exercises kitchen count:3')))).toEqual({ duplicate_choices: 1, duplicate_questions: 1, fill_in_gaps: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.repair).toMatch(/Choices repeat: questions\[1\]/);
    expect(r.repair).toMatch(/Questions repeat an earlier one: questions\[2\]\.prompt/);
    expect(r.repair).toMatch(/exactly one gap written ___: questions\[0\] \(0 gaps\)/);
  });

  it('fewer cards than asked: counted, and the missing ones asked for once (no repair)', async () => {
    overrides.set('flashcards', [cards(SPANISH.slice(0, 2)), cards([SPANISH[2]!])]);
    let r!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => (r = await ask('/flashcards kitchen count:3')))).toEqual({ count_short: 1 });
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.messages.at(-1)!.content).toMatch(/make more flashcards/);
    expect(r.text).toContain('hervir');
  });

  it('content without problems: one request, nothing counted (the control for every case above)', async () => {
    overrides.set('flashcards', [cards(SPANISH)]);
    overrides.set('exercises', [exercises(QUESTIONS)]);
    let f!: Awaited<ReturnType<typeof ask>>;
    let e!: Awaited<ReturnType<typeof ask>>;
    expect(await counted(async () => ((f = await ask('/flashcards kitchen count:3')), (e = await ask('/exercises kitchen count:2'))))).toEqual({});
    expect(f.requests).toHaveLength(1);
    expect(e.requests).toHaveLength(1);
  });
});

function loanwordInEnglish(): Card[] {
  return [
    { word: 'el marketing', translation: 'marketing', example: 'Digital marketing is very important today.', exampleTranslation: 'Digital marketing is very important today.' },
    { word: 'la reunión', translation: 'the meeting', example: 'The meeting starts at nine in the morning.', exampleTranslation: 'The meeting starts at nine.' },
    { word: 'el jefe', translation: 'the boss', example: 'My boss works a lot every day.', exampleTranslation: 'My boss works a lot.' },
  ];
}
