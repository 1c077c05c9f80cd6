import type { Db, Prisma } from '../db/client.ts';

export interface LegacyLearnerDefaults {
  displayName: string;
  targetLanguage: string;
  baseLanguage: string;
  level: string;
}

/** Writes for `npm run import-legacy`. The platform is a plain string here: 'legacy' is not a chat platform. */
export class LegacyImportRepository {
  constructor(private readonly prisma: Db) {}

  async curriculumExists(id: string): Promise<boolean> {
    return (await this.prisma.curriculum.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  /**
   * Creates the curriculum with its lessons and their content for the learner behind (platform, externalId),
   * creating that learner with `defaults` the first time. One transaction: a failed curriculum leaves no learner.
   */
  async importCurriculum(
    platform: string,
    externalId: string,
    defaults: LegacyLearnerDefaults,
    curriculum: Omit<Prisma.CurriculumUncheckedCreateInput, 'userId'>,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const account = await tx.platformAccount.findUnique({ where: { platform_externalId: { platform, externalId } }, select: { userId: true } });
      const userId =
        account?.userId ??
        (
          await tx.user.create({
            data: {
              displayName: defaults.displayName,
              defaultTargetLanguage: defaults.targetLanguage,
              defaultBaseLanguage: defaults.baseLanguage,
              level: defaults.level,
              accounts: { create: { platform, externalId } },
            },
            select: { id: true },
          })
        ).id;
      await tx.curriculum.create({ data: { ...curriculum, userId }, select: { id: true } });
    });
  }
}
