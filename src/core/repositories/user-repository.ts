import type { Db, Prisma } from '../db/client.ts';
import type { RawSql } from '../db/raw-sql.ts';
import type { Platform } from '../types.ts';
import { timeFrom } from './sql-values.ts';

export interface UserSettingsPatch {
  defaultTargetLanguage?: string;
  defaultBaseLanguage?: string;
  level?: string;
  correctionsEnabled?: boolean;
  desiredRetention?: number;
  timezone?: string;
  practiceWeak?: boolean;
  levelProposal?: string | null;
  voiceReplies?: boolean;
}

export const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;

// Not findUnique for the lookup: Prisma merges the findUnique calls of one tick into one query, and with 500
// learners writing at once that query exceeded the 999 bound parameters Prisma assumes for SQLite. The lookup is
// hand-written SQL now (below), one statement per call like findFirst was.

export type User = Prisma.UserModel;

// The learner behind an account, read on every cache miss and at start-up (the terminal's learner, for the ready
// line's language): hand-written SQL (../db/raw-sql.ts), what platformAccount.findFirst({ include: { user } })
// sent, without the client's CPU per call, and without loading its query compiler before "ready".
const USER_BY_ACCOUNT = `SELECT "users".* FROM "platform_accounts" JOIN "users" ON "users"."user_id" = "platform_accounts"."user_id"
  WHERE "platform_accounts"."platform" = ? AND "platform_accounts"."external_id" = ? LIMIT 1`;

type Cell = string | number | bigint | boolean | null;

const intOf = (value: Cell) => (value === null ? null : Number(value));
/** SQLite stores a Boolean as 0/1, PostgreSQL returns true/false. */
const boolOf = (value: Cell) => value === true || Number(value) === 1;

/** A `users` row as the Prisma client would return it. */
function userFromRow(row: Record<string, Cell>): User {
  return {
    id: Number(row.user_id),
    displayName: row.display_name as string,
    email: row.email as string | null,
    createdAt: timeFrom(row.created_at),
    lastSeenAt: timeFrom(row.last_seen_at),
    defaultTargetLanguage: row.default_target_language as string | null,
    defaultBaseLanguage: row.default_base_language as string | null,
    level: row.self_assessed_level as string | null,
    correctionsEnabled: boolOf(row.corrections_enabled!),
    timezone: row.timezone as string | null,
    desiredRetention: Number(row.desired_retention),
    reminderHour: intOf(row.reminder_hour!),
    reminderPlatform: row.reminder_platform as string | null,
    reminderChatId: row.reminder_chat_id as string | null,
    reminderLastSentOn: row.reminder_last_sent_on as string | null,
    practiceWeak: boolOf(row.practice_weak!),
    levelProposal: row.level_proposal as string | null,
    voiceReplies: boolOf(row.voice_replies!),
  };
}

export class UserRepository {
  constructor(
    private readonly prisma: Db,
    private readonly sql: RawSql,
  ) {}

  /** The learner behind a platform account, created on first contact; last-seen and name kept current. */
  async upsertByPlatformAccount(platform: Platform, externalId: string, displayName: string, username?: string): Promise<User> {
    const user = await this.findByPlatformAccount(platform, externalId);
    if (user) {
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
      const existing = await this.findByPlatformAccount(platform, externalId);
      if (existing) return existing;
      throw error;
    }
  }

  async findByPlatformAccount(platform: Platform, externalId: string): Promise<User | null> {
    const [row] = await this.sql.query<Record<string, Cell>>(USER_BY_ACCOUNT, [platform, externalId]);
    return row ? userFromRow(row) : null;
  }

  findById(id: number) {
    return this.prisma.user.findUnique({ where: { id } });
  }

  updateSettings(id: number, patch: UserSettingsPatch) {
    return this.prisma.user.update({ where: { id }, data: patch });
  }
}
