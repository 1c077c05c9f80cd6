import type { Db } from '../db/client.ts';
import type { Platform } from '../types.ts';

export interface UserSettingsPatch {
  defaultTargetLanguage?: string;
  defaultBaseLanguage?: string;
  level?: string;
  correctionsEnabled?: boolean;
  desiredRetention?: number;
  timezone?: string;
  voiceReplies?: boolean;
}

export const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;

// findFirst, not findUnique: Prisma merges the findUnique calls of one tick into one query, and with
// 500 learners writing at once that query exceeded the 999 bound parameters Prisma assumes for SQLite.

export class UserRepository {
  constructor(private readonly prisma: Db) {}

  /** The learner behind a platform account, created on first contact; last-seen and name kept current. */
  async upsertByPlatformAccount(platform: Platform, externalId: string, displayName: string, username?: string) {
    const account = await this.prisma.platformAccount.findFirst({
      where: { platform, externalId },
      include: { user: true },
    });
    if (account) {
      const { user } = account;
      // Last-seen is a day-level fact: refresh it at most every few minutes, not on every message.
      const stale = Date.now() - user.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS;
      if (!stale && user.displayName === displayName) return user;
      return this.prisma.user.update({ where: { id: user.id }, data: { lastSeenAt: new Date(), displayName } });
    }
    try {
      return await this.prisma.user.create({
        data: { displayName, accounts: { create: { platform, externalId, username: username ?? null } } },
      });
    } catch (error) {
      // Two first messages at once: the other request created the account; use it.
      const existing = await this.prisma.platformAccount.findFirst({
        where: { platform, externalId },
        include: { user: true },
      });
      if (existing) return existing.user;
      throw error;
    }
  }

  async findByPlatformAccount(platform: Platform, externalId: string) {
    const account = await this.prisma.platformAccount.findFirst({
      where: { platform, externalId },
      include: { user: true },
    });
    return account?.user ?? null;
  }

  findById(id: number) {
    return this.prisma.user.findUnique({ where: { id } });
  }

  updateSettings(id: number, patch: UserSettingsPatch) {
    return this.prisma.user.update({ where: { id }, data: patch });
  }
}
