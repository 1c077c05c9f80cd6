// /remind <hour 0–23> | off | (nothing): the daily "cards due" reminder at a local hour.
import { UserFacingError } from '../core/errors.ts';
import type { Translator } from '../core/i18n/index.ts';
import type { ReminderStatus } from '../core/services/reminders.ts';
import { textReply, type Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';

export const remindCommand = defineCommand({
  name: 'remind',
  description: 'Daily reminder when cards are due: an hour 0–23, or off',
  ephemeral: true,
  options: [{ name: 'hour', description: 'Hour of the day 0–23 in your time zone, or off', type: 'string', rest: true, maxLength: 8 }],
  async run(ctx, args) {
    const { reminders } = ctx.services;
    const input = args.hour?.trim().toLowerCase();
    if (!input) return [statusView(ctx.t, await reminders.status(ctx.learner))];
    if (input === 'off') {
      await reminders.turnOff(ctx.learner);
      return [textReply(ctx.t('loop.remindTurnedOff'), { ephemeral: true })];
    }
    const hour = /^\d{1,2}$/.test(input) ? Number(input) : NaN;
    if (!(hour >= 0 && hour <= 23)) throw new UserFacingError('loop.remindUsage');
    const status = await reminders.turnOn(ctx.learner, hour, ctx.conversation);
    return [textReply(`${ctx.t('loop.remindOn', { hour: clock(hour), zone: zoneOf(status) })}\n${zoneHint(ctx.t, status)}`, { ephemeral: true })];
  },
});

function statusView(t: Translator, status: ReminderStatus): Reply {
  if (status.hour === null) return textReply(t('loop.remindOff'), { ephemeral: true });
  const state = t('loop.remindState', { hour: clock(status.hour), zone: zoneOf(status), platform: status.platform ?? '?' });
  return textReply(`${state}\n${zoneHint(t, status)}`, { ephemeral: true });
}

/** Says which zone the hour is in and how to change it (UTC when the learner never set one). */
function zoneHint(t: Translator, status: ReminderStatus): string {
  return status.timezone ? t('loop.remindZoneSet', { zone: status.timezone }) : t('loop.remindZoneUnset');
}

const zoneOf = (status: ReminderStatus) => status.timezone ?? 'UTC';
const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
