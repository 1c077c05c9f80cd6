// /link's guess limit lives in the database: 300 simultaneous wrong guesses from one account get at most 5
// codes checked; the count survives a restart (a new app on the same database) and is shared by two apps.
// After a link, the account that made the code is told (a message with an Undo button, through the Telegram
// fake) and may undo the link for 24 hours: the other account becomes its own learner again, with what it brought.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import type { Incoming } from '../../src/commands/front-door.ts';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import { createAdapterNotifier } from '../../src/notifier.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { message } from '../faults/helpers.ts';
import { testClock, type TestClock } from './helpers.ts';

const WRONG = '/link AAAA2222';
const notValid = /code is not valid/;
const tooMany = /Too many wrong codes/;

describe.each(PROVIDERS)('the /link guess limit and undo on $name', ({ name, create, skip }) => {
  let database: TestDatabase;
  let clock: TestClock;
  let t: TestCore;

  beforeEach(async () => {
    if (skip) return;
    clock = testClock('2026-03-01T09:00:00Z');
    database = await create();
    t = await createTestCore({ database, clock });
  });
  afterEach(async () => {
    if (skip) return;
    await t.close();
    await database.drop();
  });

  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : `${what} (${name})`);
  const terminal = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
  const guesser = () => incomingFrom(t.logger, { id: '666', name: 'Mallory' }, { platform: 'telegram', id: '666' });
  const say = async (core: TestCore, who: Incoming, text: string) => replyText(await core.frontDoor.text(who, text, { addressed: true }));
  const newCode = async (core: TestCore) => /link code: ([A-Z0-9]{8})/.exec(await say(core, terminal(), '/link'))![1]!;

  it.skipIf(Boolean(skip))(title('300 simultaneous wrong guesses: at most 5 are checked'), async () => {
    await say(t, guesser(), '/start');
    const answers = await Promise.all(Array.from({ length: 300 }, () => say(t, guesser(), WRONG)));
    const checked = answers.filter((a) => notValid.test(a)).length;
    const refused = answers.filter((a) => tooMany.test(a)).length;
    console.log(`[link-guard ${name}] 300 concurrent wrong guesses: ${checked} checked, ${refused} refused as too many`);
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked + refused).toBe(300);
    // Even the right code is refused now; another account is not affected (positive control).
    const code = await newCode(t);
    expect(await say(t, guesser(), `/link ${code}`)).toMatch(tooMany);
    const other = incomingFrom(t.logger, { id: '777', name: 'Ana D' }, { platform: 'discord', id: 'dm-777' });
    expect(await say(t, other, `/link ${code}`)).toMatch(/Linked!/);
  });

  it.skipIf(Boolean(skip))(title('the limit survives a restart (a new app on the same database)'), async () => {
    for (let i = 0; i < 5; i += 1) expect(await say(t, guesser(), WRONG)).toMatch(notValid);
    await t.close();
    t = await createTestCore({ database, clock });
    const code = await newCode(t);
    expect(await say(t, guesser(), `/link ${code}`)).toMatch(tooMany);
    clock.advance(10 * 60_000 + 1_000); // the window ends: a fresh code links
    expect(await say(t, guesser(), `/link ${await newCode(t)}`)).toMatch(/Linked!/);
  });

  it.skipIf(Boolean(skip))(title('two apps on one database share the count'), async () => {
    const second = await createTestCore({ database, clock });
    try {
      for (let i = 0; i < 3; i += 1) expect(await say(t, guesser(), WRONG)).toMatch(notValid);
      for (let i = 0; i < 2; i += 1) expect(await say(second, guesser(), WRONG)).toMatch(notValid);
      expect(await say(second, guesser(), WRONG)).toMatch(tooMany);
      expect(await say(t, guesser(), `/link ${await newCode(t)}`)).toMatch(tooMany);
    } finally {
      await second.close();
    }
  });

  it.skipIf(Boolean(skip))(title("the code's account is told, with an Undo that works for 24 hours and only for it"), async () => {
    const { fake, adapter } = await startTelegram(t.frontDoor);
    const tg = fake.user({ first_name: 'Ana', language_code: 'en' });
    const dm = fake.privateChat(tg);
    const ask = async (text: string) => {
      const before = fake.botMessages(dm).length;
      fake.sendText(dm, tg, text);
      await fake.waitUntil(() => fake.botMessages(dm).length > before, 15_000, `answer to ${text}`);
      return fake.botMessages(dm).slice(before);
    };
    // The terminal learner (who will type the code) has saved flashcards; the Telegram one makes the code.
    const other = terminal();
    await say(t, other, '/flashcards kitchen count:3');
    await say(t, other, '/save');
    const [codeMessage] = await ask('/link');
    const code = /([A-Z0-9]{8})/.exec(codeMessage!.text)![1]!;
    expect(await say(t, other, `/link ${code}`)).toMatch(/Linked!/);
    expect(await t.prisma.user.count()).toBe(1);

    // The scheduler's tick (src/main.ts runs it every 10 s): the notice goes to the Telegram account's chat.
    const notifier = createAdapterNotifier([adapter], t.logger);
    expect(await t.core.services.linking.sendNotices(notifier, notifier.platforms)).toBe(1);
    expect(await t.core.services.linking.sendNotices(notifier, notifier.platforms)).toBe(0); // sent once
    const notice = fake.botMessages(dm).at(-1)!;
    expect(notice.text).toMatch(/just linked with Ana \(console\).*Undo within 24 hours/s);
    const undo = notice.buttons.flat()[0]!.callback_data!;
    expect(decodeAction(undo)?.kind).toBe('unlink');

    // The other account (now the same learner) cannot undo it, nor can an id that does not exist: alike.
    const forged = replyText(await t.frontDoor.action(other, undo));
    expect(forged).toBe(replyText(await t.frontDoor.action(other, encodeAction({ kind: 'unlink', undoId: 999 }))));
    expect(forged).toMatch(message('errors.notAvailable'));
    expect(await t.prisma.user.count()).toBe(1);

    // The code's account presses Undo: the terminal account is a learner of its own again, with its saved item.
    fake.pressButton(dm, tg, notice.message_id, undo);
    await fake.waitUntil(() => /Link undone/.test(fake.botMessages(dm).at(-1)!.text), 15_000, 'the undo');
    expect(fake.botMessages(dm).at(-1)!.text).toMatch(/console account is a separate learner again.*1 saved items, 3 review cards/s);
    expect(await t.prisma.user.count()).toBe(2);
    const ids = await t.prisma.platformAccount.findMany({ select: { platform: true, userId: true } });
    expect(new Set(ids.map((a) => a.userId)).size).toBe(2);
    const consoleId = ids.find((a) => a.platform === 'console')!.userId;
    expect(await t.prisma.savedContent.count({ where: { userId: consoleId } })).toBe(1);
    expect(await t.prisma.reviewCard.count({ where: { userId: consoleId } })).toBe(3);
    expect(await say(t, other, '/saved')).toMatch(/kitchen/i);
    // Pressing again: done already.
    expect(replyText(await t.frontDoor.action(incomingFrom(t.logger, { id: String(tg.id) }, { platform: 'telegram', id: String(tg.id) }), undo))).toMatch(message('errors.notAvailable'));

    // A second link's Undo expires after 24 hours.
    const [again] = await ask('/link');
    expect(await say(t, other, `/link ${/([A-Z0-9]{8})/.exec(again!.text)![1]!}`)).toMatch(/Linked!/);
    expect(await t.core.services.linking.sendNotices(notifier, notifier.platforms)).toBe(1);
    const late = fake.botMessages(dm).at(-1)!;
    clock.advance(24 * 3_600_000 + 1_000);
    fake.pressButton(dm, tg, late.message_id, late.buttons.flat()[0]!.callback_data!);
    await fake.waitUntil(() => fake.botMessages(dm).length > 0 && fake.callsTo('answerCallbackQuery').length >= 2, 15_000, 'the late undo');
    await fake.waitUntil(() => fake.callsTo('answerCallbackQuery').at(-1)!.ok, 15_000, 'the answer');
    expect(JSON.stringify(fake.callsTo('answerCallbackQuery').at(-1)!.payload)).toMatch(/not available/);
    expect(await t.prisma.user.count()).toBe(1);
  });
});
