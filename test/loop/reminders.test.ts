// Daily reminders end to end: /remind through the front door, then the schedulers of two cores on one database
// ticking at the same moment with a controllable clock and a recording Notifier (the calendar rules: the hour,
// once a day, time zones, opt-out). Two real operating-system processes racing for reminders are in
// reminders-processes.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { startReminderScheduler } from '../../src/core/services/reminders.ts';
import type { Platform } from '../../src/core/types.ts';
import { addDueCards, recordingNotifier, testClock, twoCores, type RecordingNotifier, type TestClock } from './helpers.ts';

describe.each(PROVIDERS)('reminders on $name', ({ name, create, skip }) => {
  let database: TestDatabase;
  let clock: TestClock;
  let a: TestCore;
  let b: TestCore;
  let notifier: RecordingNotifier;

  beforeEach(async () => {
    if (skip) return;
    clock = testClock('2026-03-01T08:00:00Z');
    database = await create();
    [a, b] = await twoCores(database, clock);
    notifier = recordingNotifier();
  });
  afterEach(async () => {
    if (skip) return;
    await a.close();
    await b.close();
    await database.drop();
  });

  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : `${what} (${name})`);
  const telegram = (id: string) => incomingFrom(a.logger, { id, name: id }, { platform: 'telegram', id: `chat-${id}` });
  const say = async (who: ReturnType<typeof telegram>, text: string) => replyText(await a.frontDoor.text(who, text, { addressed: true }));
  /** Both processes tick at the same instant. */
  const tickBoth = () => Promise.all([a.core.services.reminders.sendDue(notifier), b.core.services.reminders.sendDue(notifier)]);
  const learnerId = async (who: ReturnType<typeof telegram>) => (await a.core.services.learners.find(who.user))!.id;

  it.skipIf(Boolean(skip))(title('sent exactly once by two cores ticking together, at the hour, once a day, again the next day'), async () => {
    const ana = telegram('ana');
    const reply = await say(ana, '/remind 9');
    expect(reply).toContain('09:00 (UTC)');
    expect(reply).toMatch(/time zone is not set.*UTC.*\/settings tz:/);
    await say(ana, '/flashcards kitchen count:3');
    await say(ana, '/save');

    clock.set('2026-03-01T08:59:00Z');
    await tickBoth();
    expect(notifier.sends).toHaveLength(0); // not before the local hour

    clock.set('2026-03-01T09:00:30Z');
    await tickBoth();
    expect(notifier.sends).toEqual([{ target: { platform: 'telegram', chatId: 'chat-ana' }, text: expect.stringMatching(/3 flashcards due today.*\/review/) }]);

    clock.set('2026-03-01T09:45:00Z');
    await tickBoth();
    await tickBoth();
    expect(notifier.sends).toHaveLength(1); // not twice the same day

    clock.set('2026-03-02T09:01:00Z');
    await tickBoth();
    expect(notifier.sends).toHaveLength(2); // the next day again
  });

  it.skipIf(Boolean(skip))(title('survives a restart: a new core does not send again the same day'), async () => {
    const ana = telegram('ana');
    await say(ana, '/remind 9');
    await addDueCards(a.prisma, await learnerId(ana), 2, clock.now);
    clock.set('2026-03-01T09:10:00Z');
    await tickBoth();
    await b.close();
    b = await createTestCore({ database, clock });
    await tickBoth();
    expect(notifier.sends).toHaveLength(1);
    expect(notifier.sends[0]!.text).toMatch(/2 flashcards due/);
  });

  it.skipIf(Boolean(skip))(title('never sent to an opted-out learner, nor when nothing is due'), async () => {
    const ana = telegram('ana');
    const ben = telegram('ben');
    await say(ana, '/remind 9');
    await say(ben, '/remind 9');
    await addDueCards(a.prisma, await learnerId(ana), 2, clock.now);
    expect(await say(ana, '/remind off')).toMatch(/turned off/);
    expect(await say(ana, '/remind')).toMatch(/reminders are off/);
    clock.set('2026-03-01T09:00:00Z');
    await tickBoth();
    expect(notifier.sends).toHaveLength(0); // Ana opted out; Ben has no cards
    expect((await a.prisma.user.findFirstOrThrow({ where: { displayName: 'ben' } })).reminderLastSentOn).toBeNull();
  });

  it.skipIf(Boolean(skip))(title("'blocked' turns the reminder off"), async () => {
    const ana = telegram('ana');
    await say(ana, '/remind 9');
    await addDueCards(a.prisma, await learnerId(ana), 1, clock.now);
    clock.set('2026-03-01T09:00:00Z');
    notifier.results = ['blocked'];
    await tickBoth();
    expect(await say(ana, '/remind')).toMatch(/reminders are off/);
    clock.set('2026-03-02T09:00:00Z');
    await tickBoth();
    expect(notifier.sends).toHaveLength(1); // the blocked attempt only
  });

  it.skipIf(Boolean(skip))(title("'failed' gives the day back: a later tick sends it"), async () => {
    const ben = telegram('ben');
    await say(ben, '/remind 9');
    await addDueCards(a.prisma, await learnerId(ben), 1, clock.now);
    clock.set('2026-03-01T09:00:00Z');
    notifier.results = ['failed'];
    // One process at a time here: with two, the other one may retry within the same tick.
    await a.core.services.reminders.sendDue(notifier);
    const row = () => a.prisma.user.findFirstOrThrow({ where: { displayName: 'ben' } });
    expect((await row()).reminderLastSentOn).toBeNull();
    clock.set('2026-03-01T09:01:00Z');
    await b.core.services.reminders.sendDue(notifier);
    expect((await row()).reminderLastSentOn).toBe('2026-03-01');
    await tickBoth();
    expect(notifier.sends.map((s) => s.target.chatId)).toEqual(['chat-ben', 'chat-ben']);
    expect(notifier.sends[1]!.text).toMatch(/1 flashcard due today/);
  });

  it.skipIf(Boolean(skip))(title('each learner at 09:00 in their own time zone (Asia/Tokyo vs America/Los_Angeles)'), async () => {
    const kenji = telegram('kenji');
    const lucy = telegram('lucy');
    await say(kenji, '/settings tz:Asia/Tokyo');
    await say(lucy, '/settings tz:america/los_angeles');
    expect(await say(kenji, '/remind 9')).toMatch(/09:00 \(Asia\/Tokyo\).*\n.*time zone is Asia\/Tokyo/);
    expect(await say(lucy, '/remind 9')).toContain('09:00 (America/Los_Angeles)');
    await addDueCards(a.prisma, await learnerId(kenji), 1, clock.now);
    await addDueCards(a.prisma, await learnerId(lucy), 1, clock.now);

    clock.set('2026-03-01T00:05:00Z'); // 09:05 in Tokyo, 16:05 the day before in Los Angeles
    await tickBoth();
    expect(notifier.sends.map((s) => s.target.chatId)).toEqual(['chat-kenji']);
    clock.set('2026-03-01T09:00:00Z'); // 18:00 in Tokyo, 01:00 in Los Angeles
    await tickBoth();
    clock.set('2026-03-01T17:00:00Z'); // 09:00 in Los Angeles (UTC−8), 02:00 the next day in Tokyo
    await tickBoth();
    expect(notifier.sends.map((s) => s.target.chatId)).toEqual(['chat-kenji', 'chat-lucy']);
    const lucyRow = await a.prisma.user.findFirstOrThrow({ where: { displayName: 'lucy' } });
    expect(lucyRow.reminderLastSentOn).toBe('2026-03-01'); // her local date
  });

  it.skipIf(Boolean(skip))(title('refused in a group chat; the hour is checked'), async () => {
    const inGroup = incomingFrom(a.logger, { id: 'ana' }, { platform: 'telegram', id: 'group-1', isGroup: true });
    expect(replyText(await a.frontDoor.text(inGroup, '/remind 9', { addressed: true }))).toMatch(/private chat/);
    expect(await say(telegram('ana'), '/remind 24')).toMatch(/\/remind <hour 0–23>/);
    expect(await say(telegram('ana'), '/remind soon')).toMatch(/\/remind <hour 0–23>/);
    expect((await a.prisma.user.findFirstOrThrow({ where: { displayName: 'ana' } })).reminderHour).toBeNull();
  });

  it.skipIf(Boolean(skip))(title('the interval scheduler sends only for the platforms it runs, and stops cleanly'), async () => {
    const ana = telegram('ana');
    const cli = incomingFrom(a.logger, { id: 'cli' });
    await say(ana, '/remind 9');
    await say(cli, '/remind 9');
    await addDueCards(a.prisma, await learnerId(ana), 1, clock.now);
    await addDueCards(a.prisma, await learnerId(cli), 1, clock.now);
    clock.set('2026-03-01T09:00:00Z');
    const platforms: Platform[] = ['console'];
    const scheduler = startReminderScheduler(a.core.services.reminders, { notifier, platforms, log: a.logger, intervalMs: 20 });
    await waitFor(() => notifier.sends.length > 0);
    // The control: another console learner, due only now, is sent by a later tick, which also saw Ana's
    // (Telegram) reminder due and left it alone.
    const cli2 = incomingFrom(a.logger, { id: 'cli2' }, { platform: 'console', id: 'chat-cli2' });
    await say(cli2, '/remind 9');
    await addDueCards(a.prisma, await learnerId(cli2), 1, clock.now);
    await waitFor(() => notifier.sends.length > 1);
    await scheduler.stop();
    expect(notifier.sends.map((s) => s.target)).toEqual([
      { platform: 'console', chatId: 'chat-cli' },
      { platform: 'console', chatId: 'chat-cli2' },
    ]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
