// `npm run import-legacy`: curricula the earlier tutor kept as JSON files (seed 2) become curricula of
// learners here. Each file is checked on its own and reported; one broken file never stops the others.
// Idempotent: a curriculum whose id is already stored is skipped.
import type { Prisma } from '../db/client.ts';
import { resolveLanguage, resolveLevel } from '../language.ts';
import type { LegacyImportRepository } from '../repositories/legacy-import-repository.ts';
import { legacyCurriculumSchema, type LegacyCurriculum } from './legacy-import/legacy-format.ts';

/** Legacy user ids become platform accounts ('legacy', String(user_id)). */
export const LEGACY_PLATFORM = 'legacy';
const CURRICULUM_STATUSES = ['active', 'in_progress', 'completed'];

export type LegacyOutcome =
  | { kind: 'imported'; file: string; id: string; title: string; user: string; lessons: number; flashcards: number; exercises: number; simulations: number }
  | { kind: 'alreadyImported'; file: string; id: string }
  | { kind: 'unreadable'; file: string; error: string }
  | { kind: 'invalidJson'; file: string; error: string }
  | { kind: 'missingField'; file: string; field: string }
  | { kind: 'invalidField'; file: string; field: string; problem: string }
  | { kind: 'unknownLanguage'; file: string; field: string; value: string }
  | { kind: 'idConflict'; file: string; id: string }
  | { kind: 'tooLarge'; file: string; size: number; max: number }
  | { kind: 'tooDeep'; file: string; max: number }
  | { kind: 'tooManyLessons'; file: string; count: number; max: number }
  | { kind: 'tooManyLessonItems'; file: string; field: string; count: number; max: number }
  | { kind: 'symlink'; file: string }
  | { kind: 'failed'; file: string; error: string };

/** What one file may hold; anything beyond is reported and the file skipped (config: LEGACY_IMPORT_MAX_*). */
export interface LegacyLimits {
  maxFileBytes: number;
  maxDepth: number;
  maxLessons: number;
  maxLessonItems: number;
}

export const DEFAULT_LEGACY_LIMITS: LegacyLimits = { maxFileBytes: 10 * 1024 * 1024, maxDepth: 64, maxLessons: 500, maxLessonItems: 1_000 };

const LESSON_LISTS = ['flashcards', 'exercises', 'simulations'] as const;

export class LegacyImportService {
  constructor(
    private readonly repository: LegacyImportRepository,
    /** The name a legacy learner gets (from the message catalogue). */
    private readonly displayName: (legacyUserId: string) => string,
    private readonly limits: LegacyLimits = DEFAULT_LEGACY_LIMITS,
  ) {}

  async importFile(file: string, text: string): Promise<LegacyOutcome> {
    // Checked on the text, before parsing: a deeply nested value overflows the stack of whatever walks it later.
    if (nestingExceeds(text, this.limits.maxDepth)) return { kind: 'tooDeep', file, max: this.limits.maxDepth };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { kind: 'invalidJson', file, error: (error as Error).message };
    }
    const tooBig = this.sizeProblem(file, json);
    if (tooBig) return tooBig;
    const parsed = legacyCurriculumSchema.safeParse(json);
    if (!parsed.success) return fieldProblem(file, json, parsed.error.issues);
    const curriculum = parsed.data;
    const languages = resolveLanguages(file, curriculum);
    if ('kind' in languages) return languages;
    const level = resolveLevel(curriculum.proficiency);
    if (!level.ok) return { kind: 'invalidField', file, field: 'proficiency', problem: `unknown level "${curriculum.proficiency}"` };
    if (await this.repository.curriculumExists(curriculum.id)) return { kind: 'alreadyImported', file, id: curriculum.id };

    const learner = { displayName: this.displayName(curriculum.user_id), targetLanguage: languages.target, baseLanguage: languages.native, level: level.level };
    try {
      await this.repository.importCurriculum(LEGACY_PLATFORM, curriculum.user_id, learner, toRows(curriculum, languages, level.level));
    } catch (error) {
      // Another file (or an earlier, different import) already used one of the lesson or card ids.
      if ((error as { code?: unknown }).code === 'P2002') return { kind: 'idConflict', file, id: curriculum.id };
      throw error;
    }
    const lessons = curriculum.lessons;
    return {
      kind: 'imported',
      file,
      id: curriculum.id,
      title: curriculum.title,
      user: curriculum.user_id,
      lessons: lessons.length,
      flashcards: lessons.reduce((n, l) => n + l.flashcards.length, 0),
      exercises: lessons.reduce((n, l) => n + l.exercises.length, 0),
      simulations: lessons.reduce((n, l) => n + l.simulations.length, 0),
    };
  }

  /** More lessons, or more flashcards, exercises or simulations in one lesson, than the limits allow. */
  private sizeProblem(file: string, json: unknown): LegacyOutcome | undefined {
    const { maxLessons, maxLessonItems } = this.limits;
    const lessons = (json as { lessons?: unknown } | null)?.lessons;
    if (!Array.isArray(lessons)) return undefined;
    if (lessons.length > maxLessons) return { kind: 'tooManyLessons', file, count: lessons.length, max: maxLessons };
    for (const [index, lesson] of lessons.entries()) {
      for (const list of LESSON_LISTS) {
        const items = (lesson as Record<string, unknown> | null)?.[list];
        if (Array.isArray(items) && items.length > maxLessonItems) {
          return { kind: 'tooManyLessonItems', file, field: `lessons[${index}].${list}`, count: items.length, max: maxLessonItems };
        }
      }
    }
    return undefined;
  }
}

/** Whether arrays and objects in the JSON text nest deeper than `max` (strings are skipped; linear, no recursion). */
export function nestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function resolveLanguages(file: string, c: LegacyCurriculum): { native: string; target: string } | LegacyOutcome {
  const native = resolveLanguage(c.native_language);
  if (!native.ok) return { kind: 'unknownLanguage', file, field: 'native_language', value: c.native_language };
  const target = resolveLanguage(c.target_language);
  if (!target.ok) return { kind: 'unknownLanguage', file, field: 'target_language', value: c.target_language };
  return { native: native.code, target: target.code };
}

/** The first field at fault, as a path like lessons[0].flashcards[2].word; missing and wrong are told apart. */
function fieldProblem(file: string, json: unknown, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): LegacyOutcome {
  const issue = issues[0]!;
  const field = issue.path.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key)), '') || '(file)';
  const value = issue.path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), json);
  if (value === undefined || value === null) return issue.path.length ? { kind: 'missingField', file, field } : { kind: 'invalidField', file, field, problem: issue.message };
  return { kind: 'invalidField', file, field, problem: issue.message };
}

function toRows(c: LegacyCurriculum, languages: { native: string; target: string }, level: string): Omit<Prisma.CurriculumUncheckedCreateInput, 'userId'> {
  const createdAt = c.created_at ?? new Date();
  const updatedAt = c.updated_at ?? createdAt;
  const stamps = { createdAt, updatedAt };
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    nativeLanguage: languages.native,
    targetLanguage: languages.target,
    proficiency: level,
    lessonTopic: c.lesson_topic || c.title,
    status: CURRICULUM_STATUSES.includes(c.status) ? c.status : 'active',
    ...stamps,
    lessons: {
      create: c.lessons.map((lesson, index) => ({
        id: lesson.id,
        position: index + 1,
        subTopic: lesson.sub_topic,
        description: lesson.description,
        keywords: lesson.keywords,
        ...stamps,
        flashcards: { create: lesson.flashcards.map((f) => ({ id: f.id, word: f.word, definition: f.definition, example: f.example, createdAt })) },
        exercises: {
          create: lesson.exercises.map((e) => ({
            id: e.id,
            kind: e.choices.length >= 2 ? 'multiple_choice' : 'fill_in',
            sentence: e.sentence,
            answer: e.answer,
            choices: e.choices,
            explanation: e.explanation,
            createdAt,
          })),
        },
        simulations: {
          create: lesson.simulations.map((s) => ({ id: s.id, title: s.title, setting: s.setting, content: (s.content ?? []) as Prisma.InputJsonValue, createdAt })),
        },
      })),
    },
  };
}
