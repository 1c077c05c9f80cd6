import type { Db } from '../db/client.ts';
import type { Platform } from '../types.ts';

export interface ReminderSettings {
  reminderHour: number | null;
  reminderPlatform: string | null;
  reminderChatId: string | null;
  timezone: string | null;
}

/** One group of learners whose local clock reads the same: their zone (null = unset, UTC), hour and date. */
export interface ReminderSlot {
  timezone: string | null;
  hour: number;
  today: string;
}

export interface ReminderCandidate {
  id: number;
  timezone: string | null;
  defaultBaseLanguage: string | null;
  reminderHour: number;
  reminderPlatform: string;
  reminderChatId: string;
  reminderLastSentOn: string | null;
}

/** The daily reminder columns of `users`; every change that matters across processes is a conditional update. */
export class ReminderRepository {
  constructor(private readonly prisma: Db) {}

  async settings(userId: number): Promise<ReminderSettings | null> {
    return this.prisma.user.findUnique({
      where: { id: userId },
      select: { reminderHour: true, reminderPlatform: true, reminderChatId: true, timezone: true },
    });
  }

  async turnOn(userId: number, hour: number, platform: Platform, chatId: string): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { reminderHour: hour, reminderPlatform: platform, reminderChatId: chatId } });
  }

  async turnOff(userId: number): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { reminderHour: null, reminderPlatform: null, reminderChatId: null } });
  }

  /** Turns the reminder off only if it still points at that chat (the learner may have moved it meanwhile). */
  async turnOffFor(userId: number, platform: string, chatId: string): Promise<void> {
    await this.prisma.user.updateMany({
      where: { id: userId, reminderPlatform: platform, reminderChatId: chatId },
      data: { reminderHour: null, reminderPlatform: null, reminderChatId: null },
    });
  }

  /** The time zones opted-in learners use (null = unset), so the caller can work out each zone's local hour. */
  async zonesInUse(): Promise<Array<string | null>> {
    const rows = await this.prisma.user.findMany({
      where: { reminderHour: { not: null } },
      select: { timezone: true },
      distinct: ['timezone'],
    });
    return rows.map((r) => r.timezone);
  }

  /** Opted-in learners whose reminder hour is now in their zone and who have not had today's reminder. */
  async candidates(slots: ReminderSlot[], platforms?: readonly string[]): Promise<ReminderCandidate[]> {
    if (slots.length === 0) return [];
    const rows = await this.prisma.user.findMany({
      where: {
        reminderPlatform: platforms ? { in: [...platforms] } : { not: null },
        reminderChatId: { not: null },
        OR: slots.map((slot) => ({
          timezone: slot.timezone,
          reminderHour: slot.hour,
          OR: [{ reminderLastSentOn: null }, { reminderLastSentOn: { not: slot.today } }],
        })),
      },
      select: {
        id: true,
        timezone: true,
        defaultBaseLanguage: true,
        reminderHour: true,
        reminderPlatform: true,
        reminderChatId: true,
        reminderLastSentOn: true,
      },
      orderBy: { id: 'asc' },
    });
    return rows as ReminderCandidate[]; // the filter above guarantees hour, platform and chat are set
  }

  /**
   * Claims today's reminder for this process: only one conditional update can succeed per learner and day,
   * however many bot processes tick at once. Also re-checks that the learner is still opted in at that hour.
   */
  async claim(userId: number, hour: number, today: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id: userId, reminderHour: hour, OR: [{ reminderLastSentOn: null }, { reminderLastSentOn: { not: today } }] },
      data: { reminderLastSentOn: today },
    });
    return count === 1;
  }

  /** Gives a claim back after a failed send, so a later tick (of any process) tries again. */
  async release(userId: number, today: string, previous: string | null): Promise<void> {
    await this.prisma.user.updateMany({ where: { id: userId, reminderLastSentOn: today }, data: { reminderLastSentOn: previous } });
  }
}
