// Logs of a busy run — the terminal, Telegram and Discord adapters on one real core, learners working and
// things failing (LLM 500s, a hanging model, a refusal, a blocked chat, a dropped connection, a missing
// permission) — captured at debug level, every line. Asserted: no line (any level) contains the bot tokens or
// the API key; a long unique sentence the learners send everywhere (topics, role-play lines, feedback, labels,
// notes, plain messages) appears in no line at info level or above (it may appear at debug).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../src/bots/console/adapter.ts';
import { createDiscordAdapter } from '../../src/bots/discord/index.ts';
import { decodeAction } from '../../src/core/actions.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { FakeDiscord, DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type FakeInteraction } from '../support/fake-discord/index.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { createFakeTelegram } from '../support/fake-telegram/index.ts';
import { sqliteTestDatabase } from '../support/databases.ts';
import { freePort, startBotProcess } from '../support/bot-process.ts';
import { recordUnhandledRejections, sleep, until } from './helpers.ts';
import { telegramToken, openaiProjectKey, discordToken, openaiKey } from '../support/fake-secrets.ts';

const unhandled = recordUnhandledRejections();

const SENTENCE = 'The purple elephant quietly negotiates seventeen marmalade contracts before breakfast on rainy Tuesdays';
/** Distinctive pieces: none may appear at info or above (a learner's text is shown only at debug). */
const PIECES = ['purple elephant', 'marmalade contracts', 'rainy Tuesdays'];
const API_KEY = openaiKey('live-LogsTestSecretKey-0123456789abcdef');
const TELEGRAM_TOKEN = telegramToken('987654321', 'AAHlogsTestTelegramSecret_abcdefg');
const DISCORD_TOKEN = discordToken('MTIzNDU2Nzg5', 'logs-test', 'DiscordSecretTokenValue_xyz');
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

describe('logged errors of every client the bot uses', () => {
  const BOT_TOKEN = telegramToken('7012345678', 'AAGerrShapesTelegramSecretPart_abcdef');
  const WEBHOOK_SECRET = 'webhookSecret_ErrShapes_0123456789';
  const DISCORD = discordToken('MTA5ODc2NTQzMjEwOTg3NjU0', 'GhIjKl', 'ErrShapesDiscordSecret_abcdefghijkl');
  const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpFcnJTaGFwZXNJbnRlcmFjdGlvblRva2Vu';
  const OPENAI_KEY = openaiProjectKey('ErrShapesOpenAIKey_0123456789abcdef');
  const DB_PASSWORD = 'pgErrShapesPassw0rd';
  const REDIS_PASSWORD = 'redisErrShapesPassw0rd';
  const LEARNER = 'my secret diary sentence about marmalade';
  const SHAPE_SECRETS = [BOT_TOKEN, BOT_TOKEN.split(':')[1]!, WEBHOOK_SECRET, DISCORD, DISCORD.split('.')[2]!, INTERACTION_TOKEN, OPENAI_KEY, OPENAI_KEY.slice(3), DB_PASSWORD, REDIS_PASSWORD, LEARNER];

  it('keep what went wrong and lose every token, key, password and body (err and error, nested causes)', async () => {
    const { GrammyError, HttpError, Bot } = await import('grammy');
    const { DiscordAPIError, HTTPError } = await import('discord.js');
    const { APIError, APIConnectionError } = await import('openai');
    const telegramUrl = `https://api.telegram.org/bot${BOT_TOKEN}/setWebhook`;

    // A real grammY HttpError: the request to a closed port, with the token in its URL.
    const closed = new Bot(BOT_TOKEN, { client: { apiRoot: 'http://127.0.0.1:1' } });
    const realHttpError = await closed.api.setWebhook('https://example.com/hook', { secret_token: WEBHOOK_SECRET }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(realHttpError).toBeInstanceOf(HttpError);
    const fetchError = Object.assign(new TypeError(`fetch failed: request to ${telegramUrl} failed, reason: ECONNRESET`), {
      cause: Object.assign(new Error(`socket hang up while calling ${telegramUrl}`), { code: 'ECONNRESET' }),
    });
    const shapes: Record<string, unknown> = {
      grammyHttpError: realHttpError,
      grammyHttpErrorFetchTypeError: new HttpError(`Network request for 'setWebhook' failed!`, fetchError),
      grammyError: new GrammyError(
        "Call to 'setWebhook' failed!",
        { ok: false, error_code: 400, description: `Bad Request: bad webhook: ${telegramUrl}` },
        'setWebhook',
        { url: 'https://example.com/hook', secret_token: WEBHOOK_SECRET, text: LEARNER },
      ),
      discordApiError: new DiscordAPIError(
        { code: 50035, message: 'Invalid Form Body' },
        50035,
        400,
        'POST',
        `https://discord.com/api/v10/webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/@original`,
        { body: { content: LEARNER, token: DISCORD }, files: undefined },
      ),
      discordHttpError: new HTTPError(503, 'Service Unavailable', 'PATCH', `https://discord.com/api/v10/interactions/123456789012345678/${INTERACTION_TOKEN}/callback`, {
        body: { content: LEARNER },
      }),
      discordAuthText: new Error(`Request failed with headers {"Authorization":"Bot ${DISCORD}"}`),
      openaiApiError: new APIError(401, { message: 'Incorrect API key provided' }, `401 Incorrect API key provided: ${OPENAI_KEY}`, new Headers({ authorization: `Bearer ${OPENAI_KEY}`, 'x-request-id': 'req_1' })),
      openaiHeadersObject: Object.assign(new Error('upstream failed'), { headers: { Authorization: `Bearer ${OPENAI_KEY}` }, request: { body: LEARNER } }),
      openaiConnectionError: new APIConnectionError({ message: 'Connection error.', cause: new Error(`connect ECONNREFUSED, Authorization: Bearer ${OPENAI_KEY}`) }),
      pgError: Object.assign(new Error(`password authentication failed for postgresql://tutor:${DB_PASSWORD}@db.internal:5432/tutor`), {
        code: '28P01',
        connectionString: `postgresql://tutor:${DB_PASSWORD}@db.internal:5432/tutor`,
      }),
      pgKeywordString: new Error(`could not connect: host=db.internal user=tutor password=${DB_PASSWORD} dbname=tutor`),
      redisError: new Error(`Redis connection to redis://:${REDIS_PASSWORD}@cache.internal:6379/0 failed - connect ETIMEDOUT`),
      nested: new Error('outer', { cause: new Error('middle', { cause: new Error(`inner ${telegramUrl}`, { cause: `redis://default:${REDIS_PASSWORD}@cache:6379` }) }) }),
      aggregate: new AggregateError([new Error(`first ${telegramUrl}`), new HttpError('second', new Error(`postgresql://u:${DB_PASSWORD}@h/db`))], `all ${OPENAI_KEY} failed`),
    };

    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
    const { createLogger } = await import('../../src/logger.ts');
    const logger = createLogger('debug', sink);
    for (const [name, error] of Object.entries(shapes)) {
      logger.error({ err: error, shape: name }, 'failed');
      logger.warn({ error, shape: name }, 'failed');
    }
    logger.info({ err: shapes.nested }, 'a child');
    logger.flush();
    await until(() => lines.length >= Object.keys(shapes).length * 2 + 1, 5_000, 'every line written');
    expect(lines).toHaveLength(Object.keys(shapes).length * 2 + 1);

    for (const secret of SHAPE_SECRETS) expect(lines.filter((l) => l.includes(secret)).map((l) => l.slice(0, 400))).toEqual([]);
    // What went wrong is still there.
    const byShape = (shape: string) => lines.filter((l) => JSON.parse(l).shape === shape).join('\n');
    expect(byShape('grammyHttpError')).toMatch(/setWebhook/);
    expect(byShape('grammyHttpError')).toMatch(/ECONNREFUSED/);
    expect(byShape('grammyHttpErrorFetchTypeError')).toMatch(/ECONNRESET/);
    expect(byShape('grammyError')).toMatch(/bad webhook/);
    expect(byShape('grammyError')).toMatch(/"keys":\["url","secret_token","text"\]/);
    expect(byShape('discordApiError')).toMatch(/Invalid Form Body/);
    expect(byShape('discordHttpError')).toMatch(/Service Unavailable|503/);
    expect(byShape('openaiApiError')).toMatch(/Incorrect API key/);
    expect(byShape('openaiApiError')).toMatch(/req_1/);
    expect(byShape('openaiConnectionError')).toMatch(/ECONNREFUSED/);
    expect(byShape('pgError')).toMatch(/28P01/);
    expect(byShape('pgError')).toMatch(/db\.internal/);
    expect(byShape('redisError')).toMatch(/ETIMEDOUT/);
    expect(byShape('nested')).toMatch(/outer[\s\S]*middle[\s\S]*inner/);
    expect(byShape('aggregate')).toMatch(/first[\s\S]*second/);
  });
});

describe('the logged type of an error', () => {
  it('is its class as written, also where the bundle renamed the class (GrammyError4, _APIError)', async () => {
    // What esbuild names colliding classes in dist/ (built without keepNames): a digit suffix or an underscore.
    const renamed = { GrammyError4: class extends Error {}, _APIError: class extends Error {}, Http2Error: class extends Error {}, LlmTimeoutError: class extends Error {} };
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
    const { createLogger } = await import('../../src/logger.ts');
    const logger = createLogger('debug', sink);
    for (const ErrorClass of Object.values(renamed)) logger.error({ err: new ErrorClass('failed') }, 'failed');
    logger.flush();
    await until(() => lines.length >= 4, 5_000, 'every line written');
    expect(lines.map((line) => JSON.parse(line).err.type)).toEqual(['GrammyError', 'APIError', 'Http2Error', 'LlmTimeoutError']);
  });
});

describe('setWebhook failing at start-up (the bot process)', () => {
  it('Telegram on a closed port: each failed attempt is logged without the token, /healthz 503', async () => {
    const token = telegramToken('623456789', 'AAClosedPortStartupSecretPart_abcdefgh');
    const secret = 'hookSecret_ClosedPort_0123456789';
    const closedPort = await freePort();
    const webhookPort = await freePort();
    const db = sqliteTestDatabase();
    const bot = await startBotProcess({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${closedPort}`,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/telegram-hook`,
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_WEBHOOK_PORT: String(webhookPort),
      DATABASE_URL: db.url,
      LOG_LEVEL: 'debug',
    });
    try {
      const failed = (l: Record<string, unknown>) => l.msg === 'telegram: connection attempt failed';
      await bot.waitForLog(() => bot.logs().filter(failed).length >= 2, 60_000, 'two failed attempts');
      expect(JSON.stringify(bot.logs().filter(failed))).toMatch(/ECONNREFUSED/);
      expect(await bot.health()).toMatchObject({ status: 503, body: { platforms: { telegram: 'down' } } });
    } finally {
      await bot.stop();
      await db.drop();
    }
    const output = bot.output();
    for (const value of [token, token.split(':')[1]!, secret]) expect(output.includes(value), `the output contains ${value.slice(0, 12)}…`).toBe(false);
  }, 120_000);

  it('the failure is logged without the token, /healthz is 503 until it works, then the bot answers', async () => {
    const token = telegramToken('612345789', 'AAWebhookStartupSecretPart_abcdefghij');
    const secret = 'hookSecret_StartupLogs_0123456789';
    const fake = await createFakeTelegram({ token });
    // "Telegram" whose setWebhook resets the connection until `reachable`.
    let reachable = false;
    const resets: string[] = [];
    const front = createServer((req, res) => {
      if (!reachable && req.url?.endsWith('/setWebhook')) {
        resets.push(req.url);
        req.socket.destroy();
        return;
      }
      const forward = httpRequest({ host: '127.0.0.1', port: fake.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const apiRoot = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const webhookPort = await freePort();
    const db = sqliteTestDatabase();
    const bot = await startBotProcess({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/telegram-hook`,
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_WEBHOOK_PORT: String(webhookPort),
      OPENAI_API_KEY: API_KEY,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'debug',
    });
    try {
      const failed = (l: Record<string, unknown>) => l.msg === 'telegram: connection attempt failed' && JSON.stringify(l.err).includes('setWebhook');
      await bot.waitForLog(() => bot.logs().filter(failed).length >= 2, 60_000, 'two failed setWebhook attempts');
      expect(resets.length).toBeGreaterThanOrEqual(2);
      expect(await bot.health()).toMatchObject({ status: 503, body: { platforms: { telegram: 'down' } } });

      reachable = true;
      await bot.waitForLog((l) => l.msg === 'telegram: webhook server listening', 60_000, 'the webhook to be set');
      await until(async () => (await bot.health()).status === 200, 20_000, '/healthz 200');
      const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
      const dm = fake.privateChat(ana);
      fake.sendText(dm, ana, '/start');
      await fake.waitUntil(() => fake.botMessages(dm).length === 1, 20_000, 'the answer to /start');
    } finally {
      await bot.stop();
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await fake.close();
      await db.drop();
    }
    const output = bot.output();
    for (const value of [token, token.split(':')[1]!, secret, API_KEY, API_KEY.slice(3)]) expect(output.includes(value), `the output contains ${value.slice(0, 12)}…`).toBe(false);
    expect(output).toMatch(/setWebhook/);
  }, 120_000);
});
