// Generation of learning content: personalise (learner defaults < what the query says < explicit options),
// log the learner's input, call the LLM, log the output, keep the content for /save and /rate.
import type * as z from 'zod';
import type { BufferedActivityLog } from '../activity-log.ts';
import type { ContentType } from '../content-types.ts';
import {
  curriculumSchema,
  exerciseSetReplySchema,
  flashcardSetSchema,
  scenarioSchema,
  type CurriculumPlan,
  type ExerciseSet,
  type FlashcardSet,
  type Scenario,
} from '../content/schemas.ts';
import {
  curriculumPrompt,
  exercisesPrompt,
  flashcardsPrompt,
  scenarioPrompt,
  withLearnerContext,
  type LanguagePins,
} from '../content/prompts.ts';
import { promptVersion, TEMPLATE_PINS } from '../content/prompt-version.ts';
import { exercisesPreview, flashcardsPreview, previewListener, type PreviewSink } from '../content/previews.ts';
import { UserFacingError } from '../errors.ts';
import { stripControlCharactersDeep } from '../safe-text.ts';
import { isRecordGone } from '../db/errors.ts';
import { detectLanguageAndLevel, type CefrLevel } from '../language.ts';
import {
  curriculumProblems,
  exerciseProblems,
  flashcardProblems,
  mendExercises,
  mendFlashcards,
  scenarioProblems,
  type ProblemKind,
} from '../content/checks.ts';
import { loadedLanguageDetector, loadLanguageDetector } from '../language/detector.ts';
import type { LlmClient, LlmMessage, ReplyProblem, StructuredResult } from '../llm/client.ts';
import type { PartialListener } from '../llm/types.ts';
import type { GenerationRepository } from '../repositories/generation-repository.ts';
import type { Logger } from '../../logger.ts';
import type { Learner } from './learners.ts';
import { wordsUsed, type PersonalisationService } from './personalisation.ts';

export const TOPIC_MAX_LENGTH = 500;

/** What the learner asked for. Explicit options win over what the topic text says, which wins over defaults. */
export interface GenerationRequest {
  topic: string;
  targetLanguage?: string;
  baseLanguage?: string;
  level?: CefrLevel;
}

export interface RequestScope {
  learner: Learner;
  conversationKey: string;
  platform: string;
  log: Logger;
  /** Receives what may be shown while the model still writes (flashcards, exercises, role-play turns). */
  preview?: PreviewSink;
}

export interface Generated<T> {
  generationId: number;
  content: T;
  pins: LanguagePins;
  /** Set when the model gave fewer items than asked, even after one request for the missing ones. */
  shortfall?: { asked: number; came: number };
  /** How many of the learner's weak words the content uses (exercises, role-plays), when they were asked for. */
  practising?: number;
}

/**
 * How a generated set is counted, so that every kind is held to the count the learner asked for the same way:
 * more than asked → the first `asked`; fewer → one follow-up request for the missing ones (told what came, so
 * it does not repeat them), new items appended, duplicates dropped; still fewer → keep them, report shortfall.
 */
interface Counted<T, I> {
  asked: number;
  items(value: T): I[];
  withItems(value: T, items: I[]): T;
  /** What makes two items the same (a card's word, a question's prompt, a lesson's sub-topic). */
  key(item: I): string;
  /** Whether an item may be shown at all (a card for a word the learner knows may not); default: every item. */
  accept?(item: I): boolean;
  /** The follow-up request for `missing` more items, given the ones that came. */
  more(have: I[], missing: number): LlmMessage[];
}

/** One structured generation: the schema, the prompt, and the prompt's template for its version. */
export interface GenerationSpec<T> {
  schema: z.ZodType<T>;
  schemaName: string;
  messages: LlmMessage[];
  /**
   * The same prompt builder rendered with placeholder inputs (TEMPLATE_PINS): with the schema, it makes the
   * prompt version (prompt-version.ts). Without it only the system message and the schema count.
   */
  template?: () => LlmMessage[];
  check?: (value: T) => string | readonly ReplyProblem[] | undefined;
  /** Fixes what the checks found and the repair left (drops faulty items); applied to every accepted value. */
  mend?: (value: T) => T;
  /** Progress while the first reply streams (see src/core/content/previews.ts). */
  onPartial?: PartialListener | undefined;
  extra?: Record<string, unknown>;
}

const sameKey = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');


export class GenerationService {
  constructor(
    private readonly llm: LlmClient,
    private readonly generations: GenerationRepository,
    private readonly activityLog: BufferedActivityLog,
    private readonly temperature: number,
    /** Known and weak words of the learner (issue 14); without it content is not personalised. */
    private readonly personalisation?: PersonalisationService,
    /** Told each problem kind the content checks find (metrics). */
    private readonly onProblem: (kind: ProblemKind | 'check') => void = () => {},
  ) {}

  find(generationId: number) {
    return this.generations.findById(generationId);
  }

  /** Resolves languages and level for a request (also used by simulations and curricula). */
  pinsFor(learner: Learner, request: GenerationRequest): LanguagePins {
    const detected = detectLanguageAndLevel(request.topic);
    return {
      targetLanguage: request.targetLanguage ?? detected.language ?? learner.targetLanguage,
      baseLanguage: request.baseLanguage ?? learner.baseLanguage,
      level: request.level ?? detected.level ?? learner.level,
    };
  }

  async flashcards(scope: RequestScope, request: GenerationRequest & { count: number }): Promise<Generated<FlashcardSet>> {
    const pins = this.pinsFor(scope.learner, request);
    const { topic, count } = request;
    // Words already in the deck: a bounded list in the prompt, and a filter on what comes back (the guarantee).
    const known = await this.personalisation?.known(scope.learner, pins.targetLanguage, topic);
    const context = known ? { known: known.forPrompt } : undefined;
    const rejected: string[] = [];
    return this.run(
      scope,
      'flashcards',
      topic,
      pins,
      {
        schema: flashcardSetSchema,
        schemaName: 'flashcards',
        messages: withLearnerContext(flashcardsPrompt({ ...pins, topic, count }), 'flashcards', context),
        template: () => flashcardsPrompt({ ...TEMPLATE_PINS, count: 1 }),
        check: (set) => flashcardProblems(set, pins, loadedLanguageDetector()),
        mend: mendFlashcards,
        onPartial: previewListener(scope.preview, false, (json) => flashcardsPreview(json, count, known ? (word) => known.has(word) : undefined)),
        extra: { count, ...(known ? { knownInPrompt: known.forPrompt.length } : {}) },
      },
      {
        asked: count,
        items: (set) => set.cards,
        withItems: (set, cards) => ({ ...set, cards }),
        key: (card) => sameKey(card.word),
        ...(known
          ? {
              accept: (card: FlashcardSet['cards'][number]) => {
                if (!known.has(card.word)) return true;
                rejected.push(card.word);
                return false;
              },
            }
          : {}),
        more: (have, missing) =>
          withLearnerContext(flashcardsPrompt({ ...pins, topic, count: missing, existing: [...have.map((c) => c.word), ...rejected] }), 'flashcards', context),
      },
    );
  }

  async exercises(scope: RequestScope, request: GenerationRequest & { count: number }): Promise<Generated<ExerciseSet>> {
    const pins = this.pinsFor(scope.learner, request);
    const { topic, count } = request;
    // The learner's weakest cards come back: the prompt asks that enough questions use them.
    const practise = await this.personalisation?.practise(scope.learner, pins.targetLanguage, count);
    const context = practise ? { practise } : undefined;
    const generated = await this.run(
      scope,
      'exercises',
      topic,
      pins,
      {
        schema: exerciseSetReplySchema,
        schemaName: 'exercises',
        messages: withLearnerContext(exercisesPrompt({ ...pins, topic, count }), 'exercises', context),
        template: () => exercisesPrompt({ ...TEMPLATE_PINS, count: 1 }),
        check: (set) => exerciseProblems(set, pins, loadedLanguageDetector()),
        mend: mendExercises,
        onPartial: previewListener(scope.preview, false, (json) => exercisesPreview(json, count)),
        extra: { count, ...(practise ? { practiseWords: practise.words.length } : {}) },
      },
      {
        asked: count,
        items: (set) => set.questions,
        withItems: (set, questions) => ({ ...set, questions }),
        key: (question) => sameKey(`${question.prompt}\n${question.answer}`),
        more: (have, missing) => withLearnerContext(exercisesPrompt({ ...pins, topic, count: missing, existing: have.map((q) => q.prompt) }), 'exercises', context),
      },
    );
    if (!practise) return generated;
    const texts = generated.content.questions.map((q) => [q.prompt, ...q.choices, q.answer].join('\n'));
    const practising = wordsUsed(practise.words, texts, pins.targetLanguage);
    if (practising < practise.atLeast) scope.log.info({ asked: practise.atLeast, came: practising }, 'fewer weak words used than asked');
    return { ...generated, practising };
  }

  async scenario(scope: RequestScope, request: GenerationRequest): Promise<Generated<Scenario>> {
    const pins = this.pinsFor(scope.learner, request);
    const practise = await this.personalisation?.practise(scope.learner, pins.targetLanguage, 1);
    const generated = await this.run(scope, 'simulation', request.topic, pins, {
      schema: scenarioSchema,
      schemaName: 'scenario',
      messages: withLearnerContext(scenarioPrompt({ ...pins, topic: request.topic }), 'scenario', practise ? { practise } : undefined),
      template: () => scenarioPrompt(TEMPLATE_PINS),
      // The opening line and the example dialogue in the target language, the setting in the base language.
      check: (scenario) => scenarioProblems(scenario, pins, loadedLanguageDetector()),
    });
    if (!practise) return generated;
    const s = generated.content;
    const texts = [s.openingLine, ...s.exampleDialogue.map((l) => l.text), ...s.keyPhrases.map((p) => p.phrase)];
    return { ...generated, practising: wordsUsed(practise.words, texts, pins.targetLanguage) };
  }

  curriculum(scope: RequestScope, request: GenerationRequest & { lessons: number }): Promise<Generated<CurriculumPlan>> {
    const pins = this.pinsFor(scope.learner, request);
    const { topic, lessons } = request;
    return this.run(
      scope,
      'curriculum',
      topic,
      pins,
      {
        schema: curriculumSchema,
        schemaName: 'curriculum',
        messages: curriculumPrompt({ ...pins, topic, lessons }),
        template: () => curriculumPrompt({ ...TEMPLATE_PINS, lessons: 1 }),
        check: (plan) => curriculumProblems(plan, pins, loadedLanguageDetector()),
        extra: { lessons },
      },
      {
        asked: lessons,
        items: (plan) => plan.lessons,
        withItems: (plan, items) => ({ ...plan, lessons: items }),
        key: (lesson) => sameKey(lesson.subTopic),
        more: (have, missing) => curriculumPrompt({ ...pins, topic, lessons: missing, existing: have.map((l) => l.subTopic) }),
      },
    );
  }

  /**
   * One LLM call with both activity-log entries around it (input at once, output on success; the output
   * entry also records failures so that cost and errors are visible per learner).
   */
  async call<T>(
    scope: RequestScope,
    contentType: ContentType,
    queryText: string,
    pins: LanguagePins,
    spec: GenerationSpec<T>,
  ): Promise<{ result: StructuredResult<T>; outputLogId: string; promptVersion: string }> {
    const version = promptVersion(spec.schemaName, spec.schema, spec.template ?? (() => spec.messages.slice(0, 1)));
    const base = {
      userId: scope.learner.id,
      contentType,
      queryText,
      targetLanguage: pins.targetLanguage,
      baseLanguage: pins.baseLanguage,
    };
    const requestMetadata = { platform: scope.platform, conversation: scope.conversationKey, level: pins.level, ...spec.extra };
    this.activityLog.log({ ...base, direction: 'input', requestMetadata });
    const check = spec.check;
    try {
      // The language detector is loaded on the first generation (about half a second, once), not at start-up.
      const detector = await loadLanguageDetector();
      if (detector.error) scope.log.warn({ err: detector.error }, 'language detector not loaded: language checks are off for now');
      const generated = await this.llm.generate({
        schema: spec.schema,
        schemaName: spec.schemaName,
        messages: spec.messages,
        userId: scope.learner.id,
        log: scope.log,
        temperature: this.temperature,
        ...(check ? { check: (value: T) => this.observed(check(value)) } : {}),
        ...(spec.onPartial ? { onPartial: spec.onPartial } : {}),
      });
      // Model-written text is stored too (generations, role-play turns): no NUL or broken surrogate may reach
      // PostgreSQL, which refuses both where SQLite takes them.
      const value = stripControlCharactersDeep(generated.value) as T;
      const result = { ...generated, value: spec.mend ? spec.mend(value) : value };
      const outputLogId = this.activityLog.log({
        ...base,
        direction: 'output',
        requestMetadata,
        responseMetadata: {
          ok: true,
          model: result.model,
          promptTokens: result.usage.promptTokens,
          completionTokens: result.usage.completionTokens,
          cachedPromptTokens: result.usage.cachedPromptTokens,
          latencyMs: Math.round(result.latencyMs),
          attempts: result.attempts,
          repaired: result.repaired,
          platform: scope.platform,
          promptVersion: version,
        },
      });
      return { result, outputLogId, promptVersion: version };
    } catch (error) {
      this.activityLog.log({
        ...base,
        direction: 'output',
        requestMetadata,
        responseMetadata: {
          ok: false,
          error: error instanceof UserFacingError ? error.key : 'internal',
          platform: scope.platform,
          promptVersion: version,
        },
      });
      throw error;
    }
  }

  private async run<T, I = never>(
    scope: RequestScope,
    contentType: ContentType,
    topic: string,
    pins: LanguagePins,
    spec: GenerationSpec<T>,
    counted?: Counted<T, I>,
  ): Promise<Generated<T>> {
    const { result, outputLogId, promptVersion: version } = await this.call(scope, contentType, topic, pins, spec);
    const { value, shortfall } = counted ? await this.complete(scope, contentType, topic, pins, spec, counted, result.value) : { value: result.value, shortfall: undefined };
    const generation = await this.generations
      .create({
        userId: scope.learner.id,
        conversationKey: scope.conversationKey,
        contentType,
        queryText: topic,
        targetLanguage: pins.targetLanguage,
        baseLanguage: pins.baseLanguage,
        level: pins.level,
        content: value,
        outputLogId,
        promptVersion: version,
        model: result.model,
      })
      .catch((error: unknown) => {
        // The learner ran /forget while the model was working: their row is gone, so is this content.
        if (isRecordGone(error)) throw new UserFacingError('errors.learnerGone');
        throw error;
      });
    return { generationId: generation.id, content: value, pins, ...(shortfall ? { shortfall } : {}) };
  }

  /** Holds a generated set to the asked count (see Counted): at most one extra model call. */
  private async complete<T, I>(
    scope: RequestScope,
    contentType: ContentType,
    topic: string,
    pins: LanguagePins,
    spec: GenerationSpec<T>,
    counted: Counted<T, I>,
    first: T,
  ): Promise<{ value: T; shortfall: { asked: number; came: number } | undefined }> {
    const { asked } = counted;
    const accept = counted.accept ?? (() => true);
    const came = counted.items(first);
    const items = came.filter((item) => accept(item));
    if (items.length < came.length) scope.log.info({ contentType, dropped: came.length - items.length }, 'items the learner knows already dropped');
    if (items.length >= asked) return { value: counted.withItems(first, items.slice(0, asked)), shortfall: undefined };
    this.onProblem('count_short');
    const missing = asked - items.length;
    scope.log.info({ contentType, asked, came: items.length }, 'fewer items than asked: asking once for the missing ones');
    const merged = [...items];
    try {
      // The follow-up's items are shown with the final message, not as progress: the first reply's preview
      // already stands, and a second stream would start it over.
      const { onPartial: _shownAlready, ...followUp } = spec;
      const { result } = await this.call(scope, contentType, topic, pins, {
        ...followUp,
        messages: counted.more(items, missing),
        extra: { ...spec.extra, followUp: true, missing },
      });
      const seen = new Set(merged.map((item) => counted.key(item)));
      for (const item of counted.items(result.value)) {
        if (merged.length >= asked) break;
        const key = counted.key(item);
        if (seen.has(key) || !accept(item)) continue;
        seen.add(key);
        merged.push(item);
      }
    } catch (error) {
      // What came first is still worth showing: the learner gets it with a note of how many came.
      scope.log.warn({ err: error instanceof UserFacingError ? error.key : error, contentType }, 'follow-up for missing items failed');
    }
    // Everything the model sent was faulty (and dropped), even after a repair and a follow-up.
    if (merged.length === 0) throw new UserFacingError('errors.llmInvalid');
    const value = counted.withItems(first, merged);
    return { value, shortfall: merged.length < asked ? { asked, came: merged.length } : undefined };
  }

  /** Counts each problem kind a check found (one count per reply judged), and passes the problems on. */
  private observed(found: string | readonly ReplyProblem[] | undefined): string | readonly ReplyProblem[] | undefined {
    if (typeof found === 'string') this.onProblem('check');
    else for (const kind of new Set((found ?? []).map((p) => p.kind))) this.onProblem(kind as ProblemKind);
    return found;
  }
}

/**
 * Whether a learner may see or copy a generation named by id (a button payload, /save generation:N): their
 * own, or one made in the chat they are in (a group's shared content; any topic or thread of that chat).
 * Ids are sequential, so without this check a forged payload or a guessed id would show other learners'
 * private content.
 */
export function isVisibleTo(generation: { userId: number; conversationKey: string }, learnerId: number, conversationKey: string): boolean {
  if (generation.userId === learnerId) return true;
  const chat = (key: string) => key.split(':').slice(0, 2).join(':');
  return chat(generation.conversationKey) === chat(conversationKey);
}
