// Checks on a generated value before anything is shown, within the client's single repair request: every
// field with a declared language in that language (src/core/language/wrong-language.ts), and the structure
// (every answer one of its choices, distinct choices, distinct cards and questions, one gap per fill-in
// sentence, each example sentence containing its card's word). Each check gives at most one problem per kind,
// naming where; every kind is counted in /metrics (tutor_content_problems_total). After the repair, a
// language problem ends with the learner's message; a structural one is mended instead (mend*: the faulty
// items are dropped, and the set's count rule asks once for the missing ones).
import type { ReplyProblem } from '../llm/types.ts';
import type { LanguageIdentifier } from '../language/detector.ts';
import { describeFinding, wrongLanguageIn, type DeclaredText } from '../language/wrong-language.ts';
import { fold } from '../language/text.ts';
import type { LanguagePins } from './prompts.ts';
import type { CurriculumPlan, ExerciseSet, FlashcardSet, Scenario, SimulationTurnReply } from './schemas.ts';

export type ProblemKind =
  | 'wrong_language_target'
  | 'wrong_language_base'
  | 'same_text_pairs'
  | 'duplicate_cards'
  | 'example_missing_word'
  | 'answer_not_in_choices'
  | 'duplicate_choices'
  | 'duplicate_questions'
  | 'fill_in_gaps'
  | 'count_short';

/** Where the text of each language sits in a value. */
interface Declared {
  target: DeclaredText[];
  base: DeclaredText[];
}

const MAX_NAMED = 4;

function problem(kind: ProblemKind, detail: string, blocking = false): ReplyProblem {
  return { kind, detail, blocking };
}

function places(paths: string[]): string {
  const more = paths.length > MAX_NAMED ? ` and ${paths.length - MAX_NAMED} more` : '';
  return `${paths.slice(0, MAX_NAMED).join(', ')}${more}`;
}

/** The language problems of a value (none while no detector is loaded). */
function languageProblems(identifier: LanguageIdentifier | undefined, declared: Declared, pins: LanguagePins): ReplyProblem[] {
  if (!identifier || pins.targetLanguage === pins.baseLanguage) return [];
  const problems: ReplyProblem[] = [];
  const target = wrongLanguageIn(identifier, declared.target, pins.targetLanguage, pins.baseLanguage);
  if (target) problems.push(problem('wrong_language_target', describeFinding(target, 'target'), true));
  const base = wrongLanguageIn(identifier, declared.base, pins.baseLanguage, pins.targetLanguage);
  if (base) problems.push(problem('wrong_language_base', describeFinding(base, 'base'), true));
  return problems;
}

const sameText = (text: string) => fold(text);
/** Fill-in gaps as the prompt asks for them: a run of two or more underscores. */
const GAP = /_{2,}/g;

// ---------------------------------------------------------------------------------------------------------------
// Flashcards

export function flashcardProblems(set: FlashcardSet, pins: LanguagePins, identifier: LanguageIdentifier | undefined): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  const declared: Declared = { target: [], base: [] };
  set.cards.forEach((card, i) => {
    declared.target.push({ path: `cards[${i}].word`, text: card.word }, { path: `cards[${i}].example`, text: card.example });
    declared.base.push({ path: `cards[${i}].translation`, text: card.translation }, { path: `cards[${i}].exampleTranslation`, text: card.exampleTranslation });
  });
  const pairs = set.cards.filter((c) => sameText(c.word) === sameText(c.translation));
  if (pinsDiffer(pins) && pairs.length > set.cards.length / 2) {
    problems.push(problem('same_text_pairs', 'Most cards have the same text as word and translation: write the word in the target language and the translation in the base language.', true));
  }
  const language = languageProblems(identifier, declared, pins);
  problems.push(...language);
  const duplicates = duplicatePaths(set.cards.map((c) => sameText(c.word)), 'cards', 'word');
  if (duplicates.length > 0) problems.push(problem('duplicate_cards', `Cards repeat a word already in the set: ${places(duplicates)}. Every card needs a different word.`));
  // Examples in the wrong language cannot hold the word: the language problem says all there is to say.
  const wrongTarget = language.some((p) => p.kind === 'wrong_language_target');
  const missing = wrongTarget ? [] : set.cards.flatMap((c, i) => (exampleHasWord(c.example, c.word) ? [] : [`cards[${i}] ("${c.word}")`]));
  if (missing.length > 0) problems.push(problem('example_missing_word', `The example sentence does not use the card's word: ${places(missing)}. Each example must contain its card's word (an inflected form is fine).`));
  return problems;
}

/** Drops every card whose word repeats an earlier card's. */
export function mendFlashcards(set: FlashcardSet): FlashcardSet {
  const seen = new Set<string>();
  const cards = set.cards.filter((card) => {
    const key = sameText(card.word);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return cards.length === set.cards.length ? set : { ...set, cards };
}

// ---------------------------------------------------------------------------------------------------------------
// Exercises

export function exerciseProblems(set: ExerciseSet, pins: LanguagePins, identifier: LanguageIdentifier | undefined): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  const declared: Declared = { target: [], base: [] };
  set.questions.forEach((q, i) => {
    // Choices carry no declared language: a multiple-choice question may offer meanings in the base language.
    declared.target.push({ path: `questions[${i}].prompt`, text: q.prompt.replace(GAP, ' ') });
    declared.base.push({ path: `questions[${i}].explanation`, text: q.explanation });
  });
  problems.push(...languageProblems(identifier, declared, pins));
  const notAChoice = set.questions.flatMap((q, i) => (answerChoice(q) === undefined ? [`questions[${i}]`] : []));
  if (notAChoice.length > 0) problems.push(problem('answer_not_in_choices', `The answer is not one of the choices: ${places(notAChoice)}. The answer must be exactly one of its choices.`));
  const repeatedChoices = set.questions.flatMap((q, i) => (new Set(q.choices.map(sameText)).size === q.choices.length ? [] : [`questions[${i}]`]));
  if (repeatedChoices.length > 0) problems.push(problem('duplicate_choices', `Choices repeat: ${places(repeatedChoices)}. The choices of a question must all differ.`));
  const repeated = duplicatePaths(set.questions.map((q) => sameText(q.prompt)), 'questions', 'prompt');
  if (repeated.length > 0) problems.push(problem('duplicate_questions', `Questions repeat an earlier one: ${places(repeated)}. Every question must differ.`));
  const gaps = set.questions.flatMap((q, i) => (q.kind === 'fill_in' && gapCount(q.prompt) !== 1 ? [`questions[${i}] (${gapCount(q.prompt)} gaps)`] : []));
  if (gaps.length > 0) problems.push(problem('fill_in_gaps', `A fill_in sentence must have exactly one gap written ___: ${places(gaps)}.`));
  return problems;
}

/**
 * Keeps what can be shown: the answer spelt as its choice (case and spacing aside), repeated choices once;
 * drops questions whose answer is no choice, with fewer than two distinct choices, a fill-in sentence without
 * exactly one gap, or a prompt that repeats an earlier one.
 */
export function mendExercises(set: ExerciseSet): ExerciseSet {
  const seen = new Set<string>();
  const questions = set.questions.flatMap((q) => {
    const answer = answerChoice(q);
    if (answer === undefined) return [];
    if (q.kind === 'fill_in' && gapCount(q.prompt) !== 1) return [];
    const key = sameText(q.prompt);
    if (seen.has(key)) return [];
    const choices = distinctBy(q.choices, sameText);
    if (choices.length < 2) return [];
    seen.add(key);
    return [{ ...q, answer: choices.find((c) => sameText(c) === sameText(answer))!, choices }];
  });
  return { ...set, questions };
}

function answerChoice(q: ExerciseSet['questions'][number]): string | undefined {
  if (q.choices.includes(q.answer)) return q.answer;
  return q.choices.find((c) => sameText(c) === sameText(q.answer));
}

function gapCount(prompt: string): number {
  return prompt.match(GAP)?.length ?? 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Role-plays and courses: language only

export function scenarioProblems(scenario: Scenario, pins: LanguagePins, identifier: LanguageIdentifier | undefined): ReplyProblem[] {
  return languageProblems(
    identifier,
    {
      target: [
        { path: 'openingLine', text: scenario.openingLine },
        ...scenario.exampleDialogue.map((line, i) => ({ path: `exampleDialogue[${i}].text`, text: line.text })),
        ...scenario.keyPhrases.map((p, i) => ({ path: `keyPhrases[${i}].phrase`, text: p.phrase })),
      ],
      base: [{ path: 'setting', text: scenario.setting }, ...scenario.keyPhrases.map((p, i) => ({ path: `keyPhrases[${i}].translation`, text: p.translation }))],
    },
    pins,
  );
}

/**
 * `names`: the people in the role-play. A reply that addresses a learner by a display name written in another
 * language ("Muy bien, Mary Jane Watson…") is still in the target language: names are left out of the judgement.
 */
export function turnProblems(turn: SimulationTurnReply, pins: LanguagePins, identifier: LanguageIdentifier | undefined, names: readonly string[] = []): ReplyProblem[] {
  return languageProblems(
    identifier,
    {
      target: [{ path: 'reply', text: withoutNames(turn.reply, names) }, ...turn.newWords.map((w, i) => ({ path: `newWords[${i}].word`, text: w.word }))],
      base: [
        ...turn.corrections.map((c, i) => ({ path: `corrections[${i}].explanation`, text: c.explanation })),
        ...turn.newWords.map((w, i) => ({ path: `newWords[${i}].translation`, text: w.translation })),
      ],
    },
    pins,
  );
}

function withoutNames(text: string, names: readonly string[]): string {
  let rest = text;
  for (const name of [...names].sort((a, b) => b.length - a.length)) if (name.trim()) rest = rest.split(name).join(' ');
  return rest;
}

export function curriculumProblems(plan: CurriculumPlan, pins: LanguagePins, identifier: LanguageIdentifier | undefined): ReplyProblem[] {
  return languageProblems(
    identifier,
    {
      target: plan.lessons.flatMap((lesson, i) => lesson.keywords.map((k, j) => ({ path: `lessons[${i}].keywords[${j}]`, text: k }))),
      base: plan.lessons.map((lesson, i) => ({ path: `lessons[${i}].description`, text: lesson.description })),
    },
    pins,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function pinsDiffer(pins: LanguagePins): boolean {
  return pins.targetLanguage !== pins.baseLanguage;
}

/** Paths of the items whose key repeats an earlier item's. */
function duplicatePaths(keys: string[], list: string, field: string): string[] {
  const seen = new Set<string>();
  return keys.flatMap((key, i) => {
    if (seen.has(key)) return [`${list}[${i}].${field}`];
    seen.add(key);
    return [];
  });
}

function distinctBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const SYLLABIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Whether an example sentence uses its card's word, allowing inflection: the word's longest token (a phrase's
 * main word; articles and particles are shorter) must appear in the sentence as a stem, its first half (two
 * letters at least, one syllable in syllabic and logographic scripts). In scripts written without spaces the
 * stem is looked for anywhere in the sentence. Irregular forms ('ir' → 'voy') fail it: such a problem asks the
 * repair for a better example but never hides the card.
 */
export function exampleHasWord(example: string, word: string): boolean {
  const tokens = fold(word).split(' ').filter(Boolean);
  if (tokens.length === 0) return true;
  const main = tokens.reduce((a, b) => (b.length > a.length ? b : a));
  const chars = [...main];
  const syllabic = SYLLABIC.test(main);
  const stem = chars.slice(0, Math.max(syllabic ? 1 : 2, Math.floor(chars.length / 2))).join('');
  const sentence = fold(example);
  if (syllabic) return sentence.includes(stem);
  return sentence.split(' ').some((token) => token.startsWith(stem) || (stem.length >= 4 && token.includes(stem)));
}
