import { randomUUID } from 'node:crypto';
import type { Db, Prisma } from '../db/client.ts';
import type { CurriculumPlan, ExerciseSet, FlashcardSet, Scenario } from '../content/schemas.ts';

export class CurriculumRepository {
  constructor(private readonly prisma: Db) {}

  create(input: {
    userId: number;
    plan: CurriculumPlan;
    nativeLanguage: string;
    targetLanguage: string;
    proficiency: string;
    lessonTopic: string;
  }) {
    return this.prisma.curriculum.create({
      data: {
        id: randomUUID(),
        userId: input.userId,
        title: input.plan.title,
        description: input.plan.description,
        nativeLanguage: input.nativeLanguage,
        targetLanguage: input.targetLanguage,
        proficiency: input.proficiency,
        lessonTopic: input.lessonTopic,
        lessons: {
          create: input.plan.lessons.map((lesson, index) => ({
            id: randomUUID(),
            position: index + 1,
            subTopic: lesson.subTopic,
            description: lesson.description,
            keywords: lesson.keywords,
          })),
        },
      },
      include: { lessons: { orderBy: { position: 'asc' } } },
    });
  }

  listForUser(userId: number) {
    return this.prisma.curriculum.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { lessons: { orderBy: { position: 'asc' }, select: { position: true, status: true } } },
    });
  }

  /** The learner's curriculum by its position in their list (1 = newest), with lessons. */
  async findOwnedByNumber(userId: number, number: number) {
    const list = await this.prisma.curriculum.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: number - 1,
      take: 1,
      include: { lessons: { orderBy: { position: 'asc' } } },
    });
    return list[0];
  }

  setLessonStatus(lessonId: string, status: string) {
    return this.prisma.lesson.update({ where: { id: lessonId }, data: { status } });
  }

  async refreshCurriculumStatus(curriculumId: string): Promise<string> {
    const lessons = await this.prisma.lesson.findMany({ where: { curriculumId }, select: { status: true } });
    const status = lessons.every((l) => l.status === 'completed')
      ? 'completed'
      : lessons.some((l) => l.status !== 'not_started')
        ? 'in_progress'
        : 'active';
    await this.prisma.curriculum.update({ where: { id: curriculumId }, data: { status } });
    return status;
  }

  saveFlashcards(lessonId: string, set: FlashcardSet) {
    return this.prisma.flashcard.createMany({
      data: set.cards.map((c) => ({
        id: randomUUID(),
        lessonId,
        word: c.word,
        definition: c.translation,
        example: c.exampleTranslation ? `${c.example} (${c.exampleTranslation})` : c.example,
      })),
    });
  }

  saveExercises(lessonId: string, set: ExerciseSet) {
    return this.prisma.exercise.createMany({
      data: set.questions.map((q) => ({
        id: randomUUID(),
        lessonId,
        kind: q.kind,
        sentence: q.prompt,
        answer: q.answer,
        choices: q.choices as Prisma.InputJsonValue,
        explanation: q.explanation,
      })),
    });
  }

  saveSimulation(lessonId: string | null, scenario: Scenario) {
    return this.prisma.simulation.create({
      data: {
        id: randomUUID(),
        lessonId,
        title: scenario.title,
        setting: scenario.setting,
        content: scenario as unknown as Prisma.InputJsonValue,
      },
    });
  }
}
