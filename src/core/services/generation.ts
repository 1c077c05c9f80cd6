// Generation of learning content: personalise (learner defaults < what the query says < explicit options),
// log the learner's input, call the LLM, log the output, keep the content for /save and /rate.
import type { z } from 'zod';
import type { BufferedActivityLog } from '../activity-log.ts';
import type { ContentType } from '../content-types.ts';
import {
  curriculumSchema,
  exerciseSetSchema,
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
  type LanguagePins,
} from '../content/prompts.ts';
import { exercisesPreview, flashcardsPreview, previewListener, type PreviewSink } from '../content/previews.ts';
import { UserFacingError } from '../errors.ts';
import { stripControlCharactersDeep } from '../safe-text.ts';
import { isRecordGone } from '../db/errors.ts';
import { detectLanguageAndLevel, type CefrLevel } from '../language.ts';
import { clearlyWrongLanguage } from '../language/wrong-language.ts';
import type { LlmClient, LlmMessage, StructuredResult } from '../llm/client.ts';
import type { PartialListener } from '../llm/types.ts';
import type { GenerationRepository } from '../repositories/generation-repository.ts';
import type { Logger } from '../../logger.ts';
import type { Learner } from './learners.ts';

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
  /** The follow-up request for `missing` more items, given the ones that came. */
  more(have: I[], missing: number): LlmMessage[];
}

/** One structured LLM call of a service: the schema, the prompt, the checks, progress and extra log fields. */
export interface CallSpec<T> {
  schema: z.ZodType<T>;
  schemaName: string;
  messages: LlmMessage[];
  check?: (value: T) => string | undefined;
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

  flashcards(scope: RequestScope, request: GenerationRequest & { count: number }): Promise<Generated<FlashcardSet>> {
    const pins = this.pinsFor(scope.learner, request);
    const { topic, count } = request;
    return this.run(
      scope,
      'flashcards',
      topic,
      pins,
      {
        schema: flashcardSetSchema,
        schemaName: 'flashcards',
        messages: flashcardsPrompt({ ...pins, topic, count }),
        check: (set) => sameLanguagePairs(set),
        onPartial: previewListener(scope.preview, false, (json) => flashcardsPreview(json, count)),
        extra: { count },
      },
      {
        asked: count,
        items: (set) => set.cards,
        withItems: (set, cards) => ({ ...set, cards }),
        key: (card) => sameKey(card.word),
        more: (have, missing) => flashcardsPrompt({ ...pins, topic, count: missing, existing: have.map((c) => c.word) }),
      },
    );
  }

  exercises(scope: RequestScope, request: GenerationRequest & { count: number }): Promise<Generated<ExerciseSet>> {
    const pins = this.pinsFor(scope.learner, request);
    const { topic, count } = request;
    return this.run(
      scope,
      'exercises',
      topic,
      pins,
      {
        schema: exerciseSetSchema,
        schemaName: 'exercises',
        messages: exercisesPrompt({ ...pins, topic, count }),
        onPartial: previewListener(scope.preview, false, (json) => exercisesPreview(json, count)),
        extra: { count },
      },
      {
        asked: count,
        items: (set) => set.questions,
        withItems: (set, questions) => ({ ...set, questions }),
        key: (question) => sameKey(`${question.prompt}\n${question.answer}`),
        more: (have, missing) => exercisesPrompt({ ...pins, topic, count: missing, existing: have.map((q) => q.prompt) }),
      },
    );
  }

  scenario(scope: RequestScope, request: GenerationRequest): Promise<Generated<Scenario>> {
    const pins = this.pinsFor(scope.learner, request);
    return this.run(scope, 'simulation', request.topic, pins, {
      schema: scenarioSchema,
      schemaName: 'scenario',
      messages: scenarioPrompt({ ...pins, topic: request.topic }),
      // The opening line is the first thing the learner reads in the role-play: it must be in the target language.
      check: (scenario) => clearlyWrongLanguage(scenario.openingLine, pins.targetLanguage, pins.baseLanguage),
    });
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
    spec: CallSpec<T>,
  ): Promise<{ result: StructuredResult<T>; outputLogId: string }> {
    const base = {
      userId: scope.learner.id,
      contentType,
      queryText,
      targetLanguage: pins.targetLanguage,
      baseLanguage: pins.baseLanguage,
    };
    const requestMetadata = { platform: scope.platform, conversation: scope.conversationKey, level: pins.level, ...spec.extra };
    this.activityLog.log({ ...base, direction: 'input', requestMetadata });
    try {
      const generated = await this.llm.generate({
        schema: spec.schema,
        schemaName: spec.schemaName,
        messages: spec.messages,
        userId: scope.learner.id,
        log: scope.log,
        temperature: this.temperature,
        ...(spec.check ? { check: spec.check } : {}),
        ...(spec.onPartial ? { onPartial: spec.onPartial } : {}),
      });
      // Model-written text is stored too (generations, role-play turns): no NUL or broken surrogate may reach
      // PostgreSQL, which refuses both where SQLite takes them.
      const result = { ...generated, value: stripControlCharactersDeep(generated.value) as T };
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
        },
      });
      return { result, outputLogId };
    } catch (error) {
      this.activityLog.log({
        ...base,
        direction: 'output',
        requestMetadata,
        responseMetadata: {
          ok: false,
          error: error instanceof UserFacingError ? error.key : 'internal',
          platform: scope.platform,
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
    spec: CallSpec<T>,
    counted?: Counted<T, I>,
  ): Promise<Generated<T>> {
    const { result, outputLogId } = await this.call(scope, contentType, topic, pins, spec);
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
    spec: CallSpec<T>,
    counted: Counted<T, I>,
    first: T,
  ): Promise<{ value: T; shortfall: { asked: number; came: number } | undefined }> {
    const { asked } = counted;
    const items = counted.items(first);
    if (items.length >= asked) return { value: counted.withItems(first, items.slice(0, asked)), shortfall: undefined };
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
        if (seen.has(key)) continue;
        seen.add(key);
        merged.push(item);
      }
    } catch (error) {
      // What came first is still worth showing: the learner gets it with a note of how many came.
      scope.log.warn({ err: error instanceof UserFacingError ? error.key : error, contentType }, 'follow-up for missing items failed');
    }
    const value = counted.withItems(first, merged);
    return { value, shortfall: merged.length < asked ? { asked, came: merged.length } : undefined };
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

/** A card whose word equals its translation usually means the model wrote both in one language. */
function sameLanguagePairs(set: FlashcardSet): string | undefined {
  const same = set.cards.filter((c) => c.word.trim().toLowerCase() === c.translation.trim().toLowerCase());
  return same.length > set.cards.length / 2
    ? 'most cards have the same text as word and translation: write the word in the target language and the translation in the base language'
    : undefined;
}
