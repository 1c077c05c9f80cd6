// Logs of a busy run — the terminal, Telegram and Discord adapters on one real core, learners working and
// things failing (LLM 500s, a hanging model, a refusal, a blocked chat, a dropped connection, a missing
// permission) — captured at debug level, every line. Asserted: no line (any level) contains the bot tokens or
// the API key; a long unique sentence the learners send everywhere (topics, role-play lines, feedback, labels,
// notes, plain messages) appears in no line at info level or above (it may appear at debug).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../src/bots/console/adapter.ts';
import { createDiscordAdapter } from '../../src/bots/discord/index.ts';
import { decodeAction } from '../../src/core/actions.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { FakeDiscord, DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type FakeInteraction } from '../support/fake-discord/index.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { recordUnhandledRejections, sleep, until } from './helpers.ts';

const unhandled = recordUnhandledRejections();

const SENTENCE = 'The purple elephant quietly negotiates seventeen marmalade contracts before breakfast on rainy Tuesdays';
/** Distinctive pieces: none may appear at info or above (a learner's text is shown only at debug). */
const PIECES = ['purple elephant', 'marmalade contracts', 'rainy Tuesdays'];
const API_KEY = 'sk-live-LogsTestSecretKey-0123456789abcdef';
const TELEGRAM_TOKEN = '987654321:AAHlogsTestTelegramSecret_abcdefg';
const DISCORD_TOKEN = 'MTIzNDU2Nzg5.logs-test.DiscordSecretTokenValue_xyz';
const SECRETS = [API_KEY, API_KEY.slice(3), TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(':')[1]!, DISCORD_TOKEN, DISCORD_TOKEN.split('.')[2]!];

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({ env: { OPENAI_API_KEY: API_KEY, LOG_LEVEL: 'debug', LLM_TIMEOUT_MS: '1500', LLM_STALL_TIMEOUT_MS: '600', USER_CALLS_PER_MINUTE: '10000' } });
});
afterAll(async () => {
  await t.close();
});

describe('logs of a busy run', () => {
  it('never contain tokens or the API key, nor learners’ texts at info level or above', async () => {
    // ---- the terminal ----
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const terminal = createConsoleAdapter({ frontDoor: t.frontDoor, logger: t.logger, input, output, filesDir: mkdtempSync(join(tmpdir(), 'logs-test-')), userName: 'tess' });
    await terminal.start();
    const terminalLines = [
      `/flashcards ${SENTENCE} count:2`,
      `/save ${SENTENCE} notes:${SENTENCE}`,
      `/feedback ${SENTENCE}`,
      '/simulate at the bakery',
      SENTENCE,
      '/end',
      SENTENCE, // plain text outside a role-play
      `/rate ${SENTENCE}`, // bad input
      `/flashcards ${SENTENCE} lang:${SENTENCE}`,
    ];
    input.write(`${terminalLines.join('\n')}\n`);
    await until(() => t.logs.filter((l) => l.platform === 'console' && l.msg !== undefined).length > 0 && t.openai!.requests.length >= 3, 20_000, 'the terminal to work');

    // ---- failures through the front door: LLM errors with the sentence as the topic ----
    t.openai!.failNext({ status: 500 }, { status: 500 }, { status: 500 });
    input.write(`/exercises ${SENTENCE} count:1\n`);
    t.openai!.failNext({ hang: true });
    input.write(`/flashcards ${SENTENCE}\n`);
    t.openai!.failNext({ refusal: `I will not write about ${SENTENCE}` });
    input.write(`/curriculum ${SENTENCE} lessons:2\n`);
    t.openai!.failNext({ invalidJson: true }, { invalidJson: true });
    input.write(`/flashcards ${SENTENCE} count:2\n`);
    input.end('/stats\n');
    await Promise.race([terminal.done, sleep(30_000)]);

    // ---- Telegram ----
    const tg = await startTelegram(t.frontDoor, { fake: { token: TELEGRAM_TOKEN }, adapter: { logger: t.logger } });
    const ana = tg.fake.user({ first_name: 'Ana', language_code: 'en' });
    const dm = tg.fake.privateChat(ana);
    const say = async (text: string) => {
      const before = tg.fake.botMessages(dm).length;
      tg.fake.sendText(dm, ana, text);
      await tg.fake.waitUntil(() => tg.fake.botMessages(dm).length > before, 15_000, `an answer to ${text.slice(0, 20)}`);
      return tg.fake.botMessages(dm).slice(before);
    };
    const [cards] = await say(`/flashcards ${SENTENCE} count:2`);
    const save = cards!.buttons.flat().find((b) => decodeAction(b.callback_data!)?.kind === 'save')!;
    const query = tg.fake.pressButton(dm, ana, cards!.message_id, save.callback_data!);
    await tg.fake.waitUntil(() => tg.fake.callbackAnswer(query).answered, 10_000);
    await say('/simulate at the market');
    await say(SENTENCE);
    await say('/end');
    await say(`/feedback ${SENTENCE}`);
    tg.fake.dropNext('sendMessage');
    tg.fake.sendText(dm, ana, SENTENCE);
    await tg.fake.waitFor((c) => c.method === 'sendMessage' && c.errorCode === 0);
    const blocked = tg.fake.user({ first_name: 'Bo' });
    const blockedChat = tg.fake.privateChat(blocked);
    tg.fake.block(blockedChat);
    tg.fake.sendText(blockedChat, blocked, `/flashcards ${SENTENCE}`);
    await tg.fake.waitFor((c) => c.method === 'sendMessage' && c.errorCode === 403, 15_000);
    const group = tg.fake.group();
    tg.fake.sendText(group, ana, `chatter in a group that is not for the bot: ${SENTENCE}`);
    // The control: a command after it in the same group (handled in order) is answered, so the chatter was handled.
    const inGroup = tg.fake.botMessages(group).length;
    tg.fake.sendText(group, ana, '/help');
    await tg.fake.waitUntil(() => tg.fake.botMessages(group).length > inGroup, 15_000, 'the answer to /help in the group');
    await tg.adapter.stop();

    // ---- Discord ----
    const fake = await FakeDiscord.start({ token: DISCORD_TOKEN });
    const discord = createDiscordAdapter({ token: DISCORD_TOKEN, apiBaseUrl: fake.apiBase, frontDoor: t.frontDoor, logger: t.logger, messageContentIntent: true });
    try {
      await discord.start();
      const alice = fake.addUser('alice', { globalName: 'Alice' });
      const answered = (i: FakeInteraction) =>
        fake.waitFor(() => [...fake.world.messages.values()].some((m) => m.interactionId === i.id && !m.loading && !m.deleted), 15_000, 'an answer');
      await answered(fake.slashCommand({ name: 'flashcards', options: { topic: SENTENCE, count: 2 }, user: alice }));
      await answered(fake.slashCommand({ name: 'feedback', options: { text: SENTENCE }, user: alice }));
      await answered(fake.slashCommand({ name: 'save', options: { label: SENTENCE.slice(0, 100), notes: SENTENCE }, user: alice }));
      t.openai!.failNext({ status: 500 }, { status: 500 }, { status: 500 });
      await answered(fake.slashCommand({ name: 'exercises', options: { topic: SENTENCE }, user: alice }));
      const inChannel = fake.botMessagesIn().length;
      fake.sendMessage({ author: alice, content: `/flashcards ${SENTENCE} count:1`, mentionBot: true });
      await fake.waitFor(() => fake.botMessagesIn().length > inChannel, 15_000, 'the answer to a mention');
      // The role update reaches the bot on the gateway before the next message does (one ordered connection).
      fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.SEND_MESSAGES);
      fake.sendMessage({ author: alice, content: `/feedback ${SENTENCE} (no permission to answer)`, mentionBot: true });
      await fake.waitFor(() => fake.rejected().some((c) => c.status === 403), 10_000, 'the refused send');
      fake.sendMessage({ author: alice, content: `unaddressed chatter: ${SENTENCE}` });
      // The control: a mention after it is handled (its answer refused like the one before), so the chatter was handled.
      const refused = fake.rejected().filter((c) => c.status === 403).length;
      fake.sendMessage({ author: alice, content: '/help', mentionBot: true });
      await fake.waitFor(() => fake.rejected().filter((c) => c.status === 403).length > refused, 10_000, 'the refused answer to the control');
    } finally {
      await discord.stop();
      await fake.close();
    }
    await t.core.activityLog.flush();

    // ---- the logs ----
    const lines = t.logs.map((line) => ({ level: typeof line.level === 'number' ? line.level : 30, text: JSON.stringify(line) }));
    expect(lines.length).toBeGreaterThan(40);
    // Errors were part of the run.
    expect(lines.filter((l) => l.level >= 50).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.level === 40).length).toBeGreaterThan(0);
    // No secret anywhere, at any level.
    for (const secret of SECRETS) expect(lines.filter((l) => l.text.includes(secret)).map((l) => l.text.slice(0, 300))).toEqual([]);
    // The learners' sentence: never at info or above.
    const leaks = lines.filter((l) => l.level >= 30 && PIECES.some((piece) => l.text.includes(piece)));
    expect(leaks.map((l) => l.text.slice(0, 400))).toEqual([]);
    // It really went through the system (and the activity log stored it, as it must).
    expect(await t.prisma.activityLog.count({ where: { queryText: { contains: 'marmalade contracts' } } })).toBeGreaterThan(3);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
