import type { Db } from '../db/client.ts';

export class ExerciseAttemptRepository {
  constructor(private readonly prisma: Db) {}

  record(attempt: { userId: number; generationId: number; questionIndex: number; answer: string; correct: boolean }) {
    return this.prisma.exerciseAttempt.create({ data: attempt });
  }

  /** The learner's first answer to each question of a generation (later taps do not change the score). */
  async firstAnswers(userId: number, generationId: number): Promise<Map<number, boolean>> {
    const rows = await this.prisma.exerciseAttempt.findMany({
      where: { userId, generationId },
      orderBy: { id: 'asc' },
      select: { questionIndex: true, correct: true },
    });
    const first = new Map<number, boolean>();
    for (const row of rows) if (!first.has(row.questionIndex)) first.set(row.questionIndex, row.correct);
    return first;
  }
}
