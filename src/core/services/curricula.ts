// Curricula (seed 2): a course of N lessons for a topic; each lesson's flashcards, exercises and
// simulation are generated on request and stored in the lesson's tables; progress is marked per lesson.
import { UserFacingError } from '../errors.ts';
import type { CefrLevel } from '../language.ts';
import type { CurriculumRepository } from '../repositories/curriculum-repository.ts';
import { TOPIC_MAX_LENGTH, type GenerationRequest, type GenerationService, type RequestScope } from './generation.ts';
import type { SimulationService } from './simulations.ts';
import { cutText } from '../safe-text.ts';

export const MAX_LESSONS = 12;
export const LESSON_PARTS = ['flashcards', 'exercises', 'simulation', 'done'] as const;
export type LessonPart = (typeof LESSON_PARTS)[number];

export class CurriculumService {
  constructor(
    private readonly generation: GenerationService,
    private readonly curricula: CurriculumRepository,
    private readonly simulations: SimulationService,
  ) {}

  async create(scope: RequestScope, request: GenerationRequest & { lessons: number }) {
    const generated = await this.generation.curriculum(scope, request);
    const curriculum = await this.curricula.create({
      userId: scope.learner.id,
      plan: generated.content,
      nativeLanguage: generated.pins.baseLanguage,
      targetLanguage: generated.pins.targetLanguage,
      proficiency: generated.pins.level,
      lessonTopic: request.topic,
    });
    return { curriculum, generationId: generated.generationId, ...(generated.shortfall ? { shortfall: generated.shortfall } : {}) };
  }

  list(scope: RequestScope) {
    return this.curricula.listForUser(scope.learner.id);
  }

  /** Lesson `number` of the learner's curriculum `curriculumNumber` (1 = newest). */
  async findLesson(scope: RequestScope, number: number, curriculumNumber = 1) {
    const curriculum = await this.curricula.findOwnedByNumber(scope.learner.id, curriculumNumber);
    if (!curriculum) throw new UserFacingError('errors.noCurriculum');
    const lesson = curriculum.lessons.find((l) => l.position === number);
    if (!lesson) throw new UserFacingError('errors.noSuchLesson', { number, count: curriculum.lessons.length });
    return { curriculum, lesson };
  }

  /** Generates one part of a lesson from its sub-topic and keywords, in the curriculum's languages and level. */
  async lessonPart(scope: RequestScope, number: number, part: Exclude<LessonPart, 'done'>, curriculumNumber = 1, count = 8) {
    const { curriculum, lesson } = await this.findLesson(scope, number, curriculumNumber);
    const keywords = Array.isArray(lesson.keywords) ? (lesson.keywords as string[]).join(', ') : '';
    const request: GenerationRequest = {
      topic: cutText(`${lesson.subTopic}: ${lesson.description}${keywords ? ` (keywords: ${keywords})` : ''}`, TOPIC_MAX_LENGTH),
      targetLanguage: curriculum.targetLanguage,
      baseLanguage: curriculum.nativeLanguage,
      level: curriculum.proficiency as CefrLevel,
    };
    const result =
      part === 'flashcards'
        ? await this.lessonFlashcards(scope, lesson.id, request, count)
        : part === 'exercises'
          ? await this.lessonExercises(scope, lesson.id, request, count)
          : { kind: 'simulation' as const, ...(await this.simulations.start(scope, request, lesson.id)) };
    if (lesson.status === 'not_started') {
      await this.curricula.setLessonStatus(lesson.id, 'in_progress');
      await this.curricula.refreshCurriculumStatus(curriculum.id);
    }
    return { curriculum, lesson, result };
  }

  async markDone(scope: RequestScope, number: number, curriculumNumber = 1) {
    const { curriculum, lesson } = await this.findLesson(scope, number, curriculumNumber);
    await this.curricula.setLessonStatus(lesson.id, 'completed');
    const status = await this.curricula.refreshCurriculumStatus(curriculum.id);
    const done = curriculum.lessons.filter((l) => l.status === 'completed' || l.id === lesson.id).length;
    return { curriculum, lesson, status, done, total: curriculum.lessons.length };
  }

  private async lessonFlashcards(scope: RequestScope, lessonId: string, request: GenerationRequest, count: number) {
    const generated = await this.generation.flashcards(scope, { ...request, count });
    await this.curricula.saveFlashcards(lessonId, generated.content);
    return { kind: 'flashcards' as const, ...generated };
  }

  private async lessonExercises(scope: RequestScope, lessonId: string, request: GenerationRequest, count: number) {
    const generated = await this.generation.exercises(scope, { ...request, count: Math.min(count, 10) });
    await this.curricula.saveExercises(lessonId, generated.content);
    return { kind: 'exercises' as const, ...generated };
  }
}
