// Daily reminders: a learner opts in to a local hour; a scheduler in each bot process sends "N cards due"
// at that hour through the Notifier. All state is in the database, and each day's send is claimed there,
// so restarts and several bot processes never lose or double a reminder.
import { UserFacingError } from '../errors.ts';
import type { I18n } from '../i18n/index.ts';
import type { ReminderCandidate, ReminderRepository, ReminderSlot } from '../repositories/reminder-repository.ts';
import { localDate, localHour } from '../time.ts';
import { textReply, type ConversationRef, type DeliveryResult, type Notifier, type Platform } from '../types.ts';
import type { Logger } from '../../logger.ts';
import type { Learner } from './learners.ts';
import { startTicker, type Ticker } from '../ticker.ts';

/** What reminders need from the deck. ReviewService.dueToday reads only the learner's id and time zone. */
export interface DueCards {
  dueToday(learner: Pick<Learner, 'id' | 'timezone'>): Promise<number>;
}

export interface ReminderStatus {
  /** Local hour, or null when off. */
  hour: number | null;
  platform: string | null;
  /** The learner's IANA zone, or null (UTC). */
  timezone: string | null;
}

export interface ReminderTickResult {
  sent: number;
  blocked: number;
  failed: number;
}

export interface SendDueOptions {
  /** Only learners whose reminder goes to one of these platforms (the ones this process runs); default all. */
  platforms?: readonly Platform[];
  log?: Logger;
}

export class ReminderService {
  constructor(
    private readonly reminders: ReminderRepository,
    private readonly cards: DueCards,
    private readonly i18n: I18n,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async status(learner: Pick<Learner, 'id'>): Promise<ReminderStatus> {
    const row = await this.reminders.settings(learner.id);
    return { hour: row?.reminderHour ?? null, platform: row?.reminderPlatform ?? null, timezone: row?.timezone ?? null };
  }

  /** Opts in; the reminder goes to this chat. Refused in groups: a reminder is for one person. */
  async turnOn(learner: Pick<Learner, 'id'>, hour: number, conversation: ConversationRef): Promise<ReminderStatus> {
    if (conversation.isGroup) throw new UserFacingError('loop.remindPrivateOnly');
    await this.reminders.turnOn(learner.id, hour, conversation.platform, conversation.chatId);
    return this.status(learner);
  }

  async turnOff(learner: Pick<Learner, 'id'>): Promise<void> {
    await this.reminders.turnOff(learner.id);
  }

  /** One scheduler tick: sends every reminder that is due now and not yet sent today (by any process). */
  async sendDue(notifier: Notifier, options: SendDueOptions = {}): Promise<ReminderTickResult> {
    const result: ReminderTickResult = { sent: 0, blocked: 0, failed: 0 };
    const slots = slotsAt(this.clock(), await this.reminders.zonesInUse());
    const todayByZone = new Map(slots.map((s) => [s.timezone, s.today]));
    for (const learner of await this.reminders.candidates(slots, options.platforms)) {
      try {
        const outcome = await this.remind(notifier, learner, todayByZone.get(learner.timezone)!);
        if (outcome) result[outcome] += 1;
      } catch (error) {
        // One learner's trouble (e.g. a database hiccup) must not stop the others' reminders.
        options.log?.error({ err: error, userId: learner.id }, 'reminder failed');
        result.failed += 1;
      }
    }
    if (result.sent + result.blocked + result.failed > 0) options.log?.info({ reminders: result }, 'reminders sent');
    return result;
  }

  private async remind(notifier: Notifier, learner: ReminderCandidate, today: string): Promise<DeliveryResult | undefined> {
    const due = await this.cards.dueToday({ id: learner.id, timezone: learner.timezone });
    if (due === 0) return undefined; // nothing to review: no message (a later tick this hour may find cards)
    if (!(await this.reminders.claim(learner.id, learner.reminderHour, today))) return undefined; // another process has it
    const t = this.i18n.translator(learner.defaultBaseLanguage ?? undefined);
    const text = due === 1 ? t('loop.reminderOne') : t('loop.reminderMany', { count: due });
    const target = { platform: learner.reminderPlatform as Platform, chatId: learner.reminderChatId };
    const outcome = await notifier.send(target, [textReply(text)]).catch((): DeliveryResult => 'failed');
    // Blocked: the learner left or blocked the bot, stop writing there. Failed: give the day back for a retry.
    if (outcome === 'blocked') await this.reminders.turnOffFor(learner.id, target.platform, target.chatId);
    if (outcome === 'failed') await this.reminders.release(learner.id, today, learner.reminderLastSentOn);
    return outcome;
  }
}

/** Each zone's local hour and date at `now` (null = unset = UTC). A zone ICU no longer knows is skipped. */
function slotsAt(now: Date, zones: Array<string | null>): ReminderSlot[] {
  const slots: ReminderSlot[] = [];
  for (const timezone of zones) {
    try {
      const zone = timezone ?? 'UTC';
      slots.push({ timezone, hour: localHour(now, zone), today: localDate(now, zone) });
    } catch {
      continue;
    }
  }
  return slots;
}

export type ReminderScheduler = Ticker;

export interface ReminderSchedulerOptions extends SendDueOptions {
  notifier: Notifier;
  log: Logger;
  /** How often to look for due reminders (default 60 s: reminders are per hour, a minute late is fine). */
  intervalMs?: number;
}

/** Ticks sendDue at once (a process (re)started during someone's reminder hour sends at once), then every interval. */
export function startReminderScheduler(reminders: ReminderService, options: ReminderSchedulerOptions): ReminderScheduler {
  return startTicker(() => reminders.sendDue(options.notifier, options), { intervalMs: options.intervalMs ?? 60_000, log: options.log, what: 'reminder' });
}
