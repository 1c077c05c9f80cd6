import type { Db } from '../db/client.ts';

/** Exercise answers at a level, and the record of level changes proposed (each made once). */
export class LevelEvidenceRepository {
  constructor(private readonly prisma: Db) {}

  /** The learner's newest answers (at most `take`) to exercises generated in `language` at `level`. */
  recentAnswers(userId: number, language: string, level: string, take: number) {
    return this.prisma.exerciseAttempt.findMany({
      where: { userId, generation: { level, targetLanguage: language } },
      orderBy: { id: 'desc' },
      take,
      select: { id: true, generationId: true, questionIndex: true, correct: true },
    });
  }

  /**
   * Records `key` as the learner's last proposal unless it is already: true for the one caller that changed
   * it, so two processes (or two taps) propose a level once.
   */
  async claimProposal(userId: number, key: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id: userId, OR: [{ levelProposal: null }, { levelProposal: { not: key } }] },
      data: { levelProposal: key },
    });
    return count === 1;
  }

  /** The learner's current level, target language and last proposal, read fresh (not from a cache). */
  current(userId: number) {
    return this.prisma.user.findUnique({ where: { id: userId }, select: { level: true, defaultTargetLanguage: true, levelProposal: true } });
  }
}
