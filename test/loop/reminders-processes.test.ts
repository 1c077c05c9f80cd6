// Daily reminders across two bot processes: two operating-system processes of `src/main.ts` (as `npm start`
// runs them) on one database, an SQLite file or PostgreSQL, both running Telegram against the fake Bot API
// and both ticking their reminder schedulers every 50 ms (REMINDER_TICK_MS). Learners opt in with /remind
// through Telegram; ten learners' cards are then made due in one statement while both processes are ticking,
// so both walk the same list of due reminders at the same time and race for each one; the fake must receive
// each reminder exactly once (a claim that is not atomic sends some twice: checked by breaking it).
//
// "Exactly once" is proven, not assumed: the first process is then stopped gracefully (its tick in progress ends
// before it exits, so anything it would have sent has reached the fake), and the second must still send two later
// reminders (the controls, made due one after the other). The tick of the second process that sent the last
// control came after every racing reminder had been claimed; a duplicate from it would have come at the latest
// in that tick, before the control.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/client.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import { createFakeTelegram, type FakeChat, type FakeTelegram, type FakeUser } from '../support/fake-telegram/index.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { startMainProcess, type MainProcess } from '../scale/support/processes.ts';

const t = createI18n().translator('en');
const TICK_MS = 50;

describe.each(PROVIDERS)('a daily reminder across two bot processes on $name', ({ name, create, skip }) => {
  let fake: FakeTelegram;
  let database: TestDatabase;
  const processes: MainProcess[] = [];

  beforeEach(async () => {
    if (skip) return;
    fake = await createFakeTelegram();
    database = await create();
  });
  afterEach(async () => {
    if (skip) return;
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    await fake.close();
    await database.drop();
  });

  async function botProcess(): Promise<MainProcess> {
    const process = await startMainProcess({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: database.url,
      REMINDER_TICK_MS: String(TICK_MS),
      PLATFORM_LEASE_MS: '1000',
      LOG_LEVEL: 'info',
    });
    processes.push(process);
    await process.waitForLog((line) => line.msg === 'bot ready', 60_000, 'the bot to be ready');
    return process;
  }

  const learner = (firstName: string) => {
    const user = fake.user({ first_name: firstName, language_code: 'en' });
    return { user, chat: fake.privateChat(user) };
  };
  async function say(who: { user: FakeUser; chat: FakeChat }, text: string): Promise<string> {
    const before = fake.botMessages(who.chat).length;
    fake.sendText(who.chat, who.user, text);
    await fake.waitUntil(() => fake.botMessages(who.chat).length > before, 30_000, `the answer to ${text}`);
    return fake.botMessages(who.chat)[before]!.text;
  }
  const reminders = (who: { chat: FakeChat }) => fake.botMessages(who.chat).filter((m) => /flashcards? due today/.test(m.text));
  const sentReminders = (process: MainProcess) =>
    process.logs.filter((line) => line.msg === 'reminders sent').reduce((sum, line) => sum + ((line.reminders as { sent: number }).sent ?? 0), 0);

  it.skipIf(Boolean(skip))(
    skip ? `each sent exactly once by two processes ticking together — skipped: ${skip}` : `each sent exactly once by two processes ticking together; the other process keeps sending later ones (${name})`,
    async () => {
      // The reminder hour is the current UTC hour; a test started in its last minutes waits for the next one.
      const minute = new Date().getUTCMinutes();
      if (minute >= 58) await new Promise((resolve) => setTimeout(resolve, (60 - minute) * 60_000 - new Date().getUTCSeconds() * 1_000 + 1_000));
      const hour = new Date().getUTCHours();

      const first = await botProcess();
      const racing = ['Ana', 'Ben', 'Cleo', 'Dan', 'Eva', 'Fede', 'Gala', 'Hugo', 'Ines', 'Juan'].map(learner);
      const controls = [learner('Kai'), learner('Lia')];
      const answers = await Promise.all([...racing, ...controls].map((who) => say(who, `/remind ${hour}`)));
      for (const answer of answers) expect(answer).toContain(`${String(hour).padStart(2, '0')}:00 (UTC)`);
      const second = await botProcess();

      const db = await openDatabase(database.url, { migrate: false });
      try {
        const userIds = async (people: Array<{ user: FakeUser }>) =>
          Promise.all(people.map(async (who) => (await db.prisma.platformAccount.findFirstOrThrow({ where: { platform: 'telegram', externalId: String(who.user.id) } })).userId));
        const makeDue = async (people: Array<{ user: FakeUser }>, count: number) => {
          const due = new Date(Date.now() - 60_000);
          const data = (await userIds(people)).flatMap((userId) => Array.from({ length: count }, (_, i) => ({ userId, source: 'flashcard', front: `palabra ${i}`, back: `word ${i}`, due })));
          await db.prisma.reviewCard.createMany({ data }); // one statement: they all become due at once
        };
        // Both processes are ticking: ten learners' cards become due at once, and both processes walk the same
        // list of due reminders at the same time, racing for each one.
        await makeDue(racing, 2);
        await fake.waitUntil(() => racing.every((who) => reminders(who).length > 0), 60_000, 'the ten reminders');
        await fake.waitUntil(() => sentReminders(first) + sentReminders(second) >= racing.length, 30_000, 'the logs of the ten reminders');
        const split = [sentReminders(first), sentReminders(second)];

        // The first process stops gracefully: a tick in progress ends (and its sends reach the fake) before it exits.
        await first.stop('SIGTERM');
        processes.splice(processes.indexOf(first), 1);
        // The controls: the second process, still ticking, sends each of them (made due one after the other).
        for (const who of controls) {
          await makeDue([who], 1);
          await fake.waitUntil(() => reminders(who).length > 0, 30_000, `${who.user.first_name}'s reminder`);
        }
        await second.waitForLog(() => sentReminders(second) >= split[1]! + controls.length, 30_000, "the second process's logs of the controls");

        // Exactly once each, on the fake and in the processes' own counts.
        for (const who of racing) expect(reminders(who).map((m) => m.text), who.user.first_name).toEqual([t('loop.reminderMany', { count: 2 })]);
        for (const who of controls) expect(reminders(who).map((m) => m.text), who.user.first_name).toEqual([t('loop.reminderOne')]);
        expect(sentReminders(first) + sentReminders(second)).toBe(racing.length + controls.length);
        const today = new Date().toISOString().slice(0, 10);
        const rows = await db.prisma.user.findMany({ where: { id: { in: await userIds([...racing, ...controls]) } } });
        expect(rows.map((row) => row.reminderLastSentOn)).toEqual(rows.map(() => today));
        expect(fake.failedCalls()).toEqual([]);
        console.info(`[reminders ${name}] 10 reminders raced for by two processes: ${split[0]} sent by one, ${split[1]} by the other, none twice; 2 controls sent afterwards`);
      } finally {
        await db.close();
      }
    },
    300_000,
  );
});
