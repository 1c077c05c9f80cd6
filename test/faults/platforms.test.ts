// Platform faults the adapters' own tests leave out: 429s on other calls than sendMessage (edits, callback
// answers, Discord REST and interaction callbacks), a 429 asking for longer than the adapter waits, permission
// errors (403), messages deleted under the bot's feet, expired interactions on buttons. None of them may stop
// the bot: afterwards it still answers, and no promise rejection is left unhandled.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bots/discord/index.ts';
import { createTelegramAdapter } from '../../src/bots/telegram/index.ts';
import { encodeAction } from '../../src/core/actions.ts';
import type { Reply } from '../../src/core/types.ts';
import { FakeDiscord, DEFAULT_BOT_PERMISSIONS, PERMISSIONS, type FakeInteraction, type FakeMessage } from '../support/fake-discord/index.ts';
import { createStubFrontDoor as createTelegramStub } from '../telegram/support/stub-front-door.ts';
import { settle, startHarness as startTelegram } from '../telegram/support/harness.ts';
import { createStubFrontDoor as createDiscordStub } from '../discord/helpers/stub-front-door.ts';
import { captureLogger } from '../support/core.ts';
import { createFakeTelegram } from '../support/fake-telegram/index.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { sqliteTestDatabase } from '../support/databases.ts';
import { startBotProcess } from '../support/bot-process.ts';
import { recordUnhandledRejections, until } from './helpers.ts';
import { telegramToken } from '../support/fake-secrets.ts';

const unhandled = recordUnhandledRejections();
const text = (value: string, extra: Partial<Reply> = {}): Reply => ({ blocks: [{ kind: 'text', text: value }], ...extra });

describe('Telegram', () => {
  it('429s on editMessageText and answerCallbackQuery are waited out; the edit and the answer arrive', async () => {
    const data = encodeAction({ kind: 'answer', generationId: 1, question: 0, choice: 0, owner: 0 });
    const stub = createTelegramStub({
      text: () => [text('Question?', { buttons: [[{ label: 'A', data }]] })],
      action: () => [text('Question? ✅', { replaceOrigin: true })],
    });
    const { fake } = await startTelegram(stub.frontDoor);
    const user = fake.user();
    const chat = fake.privateChat(user);
    fake.sendText(chat, user, '/exercises');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    const [question] = fake.botMessages(chat);
    fake.failNext('editMessageText', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    fake.failNext('answerCallbackQuery', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const query = fake.pressButton(chat, user, question!.message_id, data);
    await fake.waitUntil(() => fake.botMessages(chat)[0]!.text === 'Question? ✅', 10_000, 'the edit');
    await fake.waitUntil(() => fake.callbackAnswer(query).answered, 10_000, 'the callback answer');
    expect(fake.callsTo('editMessageText').map((c) => c.errorCode ?? 200)).toEqual([429, 200]);
    expect(unhandled).toEqual([]);
  });

  it('a 429 asking for longer than the adapter waits fails that one send, logged; the next message is answered', async () => {
    const stub = createTelegramStub();
    const { fake, logs } = await startTelegram(stub.frontDoor, { adapter: { maxRetryAfterSeconds: 2 } });
    const user = fake.user();
    const chat = fake.privateChat(user);
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3600', retry_after: 3600 });
    fake.sendText(chat, user, 'one');
    // Logged within the wait's bound, far short of the hour Telegram asked for: the adapter did not sleep on it.
    await fake.waitUntil(() => logs.some((line) => line.includes('"level":50') || line.includes('"level":40')), 5_000, 'a logged failure');
    fake.sendText(chat, user, 'two');
    await fake.waitUntil(() => fake.botMessages(chat).some((m) => m.text === 'echo: two'), 5_000, 'the next answer');
    expect(unhandled).toEqual([]);
  });

  it('403 on every kind of call in a group the bot was removed from; other chats are still served', async () => {
    const stub = createTelegramStub({ action: () => [text('pressed', { replaceOrigin: true }), text('more')] });
    const { fake, adapter, logs } = await startTelegram(stub.frontDoor);
    const user = fake.user();
    const group = fake.group();
    const dm = fake.privateChat(user);
    fake.block(group);
    fake.sendText(group, user, '/start@tutor_test_bot');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.errorCode === 403);
    fake.failNext('sendChatAction', { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' });
    fake.failNext('setMyCommands', { error_code: 403, description: 'Forbidden' });
    fake.sendText(dm, user, 'hola');
    await fake.waitUntil(() => fake.botMessages(dm).length === 1, 5_000, 'the DM answer');
    expect(adapter.isConnected()).toBe(true);
    expect(logs.some((line) => line.includes(fake.token.split(':')[1]!))).toBe(false);
    expect(unhandled).toEqual([]);
  });

  it('"not enough rights to send text messages" (400) in a group: logged, the bot goes on', async () => {
    const stub = createTelegramStub();
    const { fake, logs } = await startTelegram(stub.frontDoor);
    const user = fake.user();
    const group = fake.group();
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: not enough rights to send text messages to the chat' });
    fake.sendText(group, user, '/flashcards@tutor_test_bot');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.errorCode === 400);
    await settle(200);
    expect(logs.some((line) => /"level":(40|50)/.test(line))).toBe(true);
    fake.sendText(group, user, '/start@tutor_test_bot');
    await fake.waitUntil(() => fake.botMessages(group).length >= 1, 5_000, 'the next answer');
    expect(unhandled).toEqual([]);
  });

  it('the button message was deleted before the answer: a new message instead of the edit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const data = encodeAction({ kind: 'reveal', generationId: 1, card: 0 });
    const stub = createTelegramStub({
      text: () => [text('Cards', { buttons: [[{ label: 'Show', data }]] })],
      action: async () => (await gate, [text('Cards revealed', { replaceOrigin: true })]),
    });
    const { fake } = await startTelegram(stub.frontDoor);
    const user = fake.user();
    const chat = fake.privateChat(user);
    fake.sendText(chat, user, '/flashcards');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    const [cards] = fake.botMessages(chat);
    fake.pressButton(chat, user, cards!.message_id, data);
    await fake.waitUntil(() => stub.of('action').length === 1);
    fake.chatState(chat).messages.delete(cards!.message_id); // the learner deleted it
    release();
    await fake.waitUntil(() => fake.botMessages(chat).some((m) => m.text === 'Cards revealed'), 5_000, 'the answer as a new message');
    expect(fake.callsTo('editMessageText').map((c) => c.description)).toEqual(['Bad Request: message to edit not found']);
    expect(unhandled).toEqual([]);
  });

  it("the learner's message was deleted before the answer (group reply chain): answered anyway", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stub = createTelegramStub({ text: async (_i, value, options) => (await gate, options.addressed ? [text(`echo: ${value}`)] : null) });
    const { fake } = await startTelegram(stub.frontDoor);
    const user = fake.user();
    const group = fake.group({ supergroup: true });
    const asked = fake.sendText(group, user, '@tutor_test_bot hola');
    await fake.waitUntil(() => stub.of('text').length === 1);
    fake.chatState(group).messages.delete(asked.message_id);
    release();
    await fake.waitUntil(() => fake.botMessages(group).length === 1, 5_000, 'the answer');
    expect(fake.failedCalls()).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});

/** An HTTP proxy in front of the fake Discord REST API that answers chosen calls with 429 first. */
async function rateLimitingProxy(target: string): Promise<{ url: string; limit(method: string, path: RegExp, times: number, retryAfterSeconds: number): void; limited: string[]; close(): Promise<void> }> {
  const rules: Array<{ method: string; path: RegExp; times: number; retryAfterSeconds: number }> = [];
  const limited: string[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0]!;
    const rule = rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path));
    if (rule) {
      rule.times -= 1;
      limited.push(`${req.method} ${path}`);
      req.resume();
      const body = JSON.stringify({ message: 'You are being rate limited.', retry_after: rule.retryAfterSeconds, global: false });
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(rule.retryAfterSeconds),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(rule.retryAfterSeconds),
        'x-ratelimit-scope': 'user',
      });
      res.end(body);
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api`,
    limited,
    limit: (method, path, times, retryAfterSeconds) => void rules.push({ method, path, times, retryAfterSeconds }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Discord', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function start(options: { botPermissions?: bigint; throughProxy?: boolean } = {}) {
    const fake = await FakeDiscord.start(options.botPermissions !== undefined ? { botPermissions: options.botPermissions } : {});
    cleanup.push(() => fake.close());
    const alice = fake.addUser('alice', { globalName: 'Alice' });
    const proxy = options.throughProxy ? await rateLimitingProxy(fake.apiBase) : undefined;
    if (proxy) cleanup.push(() => proxy.close());
    const frontDoor = createDiscordStub();
    const { logger, logs } = captureLogger('debug');
    const adapter = createDiscordAdapter({ token: fake.token, apiBaseUrl: proxy?.url ?? fake.apiBase, frontDoor, logger, messageContentIntent: true });
    await adapter.start();
    cleanup.unshift(() => adapter.stop());
    const answersOf = (i: FakeInteraction) => [...fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
    const answered = (i: FakeInteraction) => fake.waitFor(() => answersOf(i).length > 0 && answersOf(i), 10_000, `an answer to ${i.id}`);
    return { fake, alice, proxy, frontDoor, adapter, logs, answered };
  }

  it('429s on the interaction callback, the follow-up webhook and channel messages are waited out', async () => {
    const { fake, alice, proxy, frontDoor, answered } = await start({ throughProxy: true });
    frontDoor.onCommand = (name) => [text(`ran ${name}`, { rateGenerationId: 5 })];
    proxy!.limit('POST', /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 1, 0.3);
    proxy!.limit('PATCH', /^\/api\/v10\/webhooks\//, 1, 0.3);
    const i = fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: alice });
    const [answer] = await answered(i);
    expect(answer!.content).toBe('ran flashcards');
    expect(fake.acknowledgedInTime(i.id)).toBe(true);
    expect(JSON.stringify(answer!.components)).toContain('1|r|5|5');
    proxy!.limit('POST', /^\/api\/v10\/channels\/\d+\/messages$/, 1, 0.3);
    fake.sendMessage({ author: alice, content: 'hola', mentionBot: true });
    await fake.waitFor(() => fake.botMessagesIn().find((m) => m.content === 'heard: hola'), 10_000, 'the answer to a mention');
    expect(proxy!.limited.length).toBeGreaterThanOrEqual(3);
    expect(fake.rejected()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 30_000);

  it('403 Missing Permissions on a channel message: logged, slash commands still answered, and again once allowed', async () => {
    const withoutSend = DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.SEND_MESSAGES;
    const { fake, alice, adapter, answered, logs } = await start({ botPermissions: withoutSend });
    fake.sendMessage({ author: alice, content: 'hola', mentionBot: true });
    await fake.waitFor(() => fake.rejected().find((c) => c.status === 403), 5_000, 'the refused send');
    const i = fake.slashCommand({ name: 'help', user: alice });
    expect((await answered(i))[0]!.content).toBe('ran help');
    // The role update reaches the bot on the gateway before the next message does (one ordered connection).
    fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS);
    fake.sendMessage({ author: alice, content: 'otra vez', mentionBot: true });
    await fake.waitFor(() => fake.botMessagesIn().find((m) => m.content === 'heard: otra vez'), 5_000, 'the answer once allowed');
    expect(adapter.isConnected()).toBe(true);
    expect(logs.some((line) => (line.level as number) >= 40)).toBe(true);
    expect(logs.some((line) => JSON.stringify(line).includes(fake.token))).toBe(false);
    expect(unhandled).toEqual([]);
  });

  it('the button message was deleted before the answer replaced it: the reply arrives as a new message', async () => {
    const { fake, alice, frontDoor, answered } = await start();
    const data = encodeAction({ kind: 'reveal', generationId: 3, card: 0 });
    frontDoor.onCommand = () => [text('Cards', { buttons: [[{ label: 'Show', data }]] })];
    const i = fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen' }, user: alice });
    const [cards] = await answered(i);
    frontDoor.delayMs = 300;
    frontDoor.onAction = () => [text('Cards revealed', { replaceOrigin: true })];
    const press = fake.pressButton({ message: cards as FakeMessage, customId: data, user: alice });
    await fake.waitFor(() => frontDoor.of('action').length === 1, 5_000, 'the action');
    fake.deleteMessage(cards as FakeMessage);
    await fake.waitFor(() => fake.calls.some((c) => c.status === 404), 5_000, 'the failed edit');
    await fake.waitFor(() => [...fake.world.messages.values()].find((m) => m.content === 'Cards revealed' && !m.deleted), 5_000, 'the reply as a new message');
    frontDoor.delayMs = 0;
    frontDoor.onCommand = (name) => [text(`ran ${name}`)];
    const next = fake.slashCommand({ name: 'help', user: alice });
    expect((await answered(next))[0]!.content).toBe('ran help');
    expect(fake.acknowledgedInTime(press.id)).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it('an expired button interaction (older than 3 s on arrival) is survived; the next one is answered', async () => {
    const { fake, alice, frontDoor, answered, adapter } = await start();
    const data = encodeAction({ kind: 'question', generationId: 3, question: 1, owner: 0 });
    frontDoor.onCommand = () => [text('Q1', { buttons: [[{ label: 'Next', data }]] })];
    const i = fake.slashCommand({ name: 'exercises', user: alice });
    const [question] = await answered(i);
    const late = fake.pressButton({ message: question as FakeMessage, customId: data, user: alice, ageMs: 4_000 });
    await fake.waitFor(() => fake.interaction(late.id).lateCallbacks >= 1, 5_000, 'the late callback');
    const onTime = fake.pressButton({ message: question as FakeMessage, customId: data, user: alice });
    expect((await answered(onTime))[0]!.content.replace(/\\/g, '')).toBe(`pressed ${data}`);
    expect(adapter.isConnected()).toBe(true);
    expect(unhandled).toEqual([]);
  });
});

describe('Telegram refusing the bot at start-up', () => {
  it('a token Telegram does not know fails start() at once, without retrying; the right one connects', async () => {
    const fake = await createFakeTelegram();
    const { logger, raw: logs } = captureLogger('debug');
    try {
      const wrong = createTelegramAdapter({ token: telegramToken('111222333', 'AAWrongTokenForThisFakeTelegram_xyz12'), apiRoot: fake.apiRoot, frontDoor: createTelegramStub().frontDoor, logger });
      await expect(wrong.start()).rejects.toThrow();
      expect(wrong.isConnected()).toBe(false);
      await wrong.stop();
      expect(logs.filter((l) => l.includes('connection attempt failed') || l.includes('not reachable'))).toEqual([]);
      // Positive control: the same fake with its own token.
      const right = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, frontDoor: createTelegramStub().frontDoor, logger });
      await right.start();
      await until(() => right.isConnected(), 10_000, 'polling');
      await right.stop();
    } finally {
      await fake.close();
    }
  });
});

describe('Telegram unreachable at start-up (the bot process, polling)', () => {
  it('logs each failed attempt with a growing wait, warns once, /healthz 503 naming telegram; then connects and answers', async () => {
    const fake = await createFakeTelegram({ token: telegramToken('555666777', 'AAUnreachableTestTokenSecretPart_0123') });
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: fake.port });
    proxy.down('reset'); // every connection to "Telegram" is reset
    const db = sqliteTestDatabase();
    const bot = await startBotProcess({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: `http://127.0.0.1:${proxy.port}`, DATABASE_URL: db.url, LOG_LEVEL: 'debug' });
    try {
      const attempts = (process = bot) => process.logs().filter((l) => l.msg === 'telegram: connection attempt failed');
      await bot.waitForLog(() => attempts().length >= 4, 60_000, 'four failed attempts');
      const waits = attempts().map((l) => l.retryInMs as number);
      console.info(`[faults] Telegram unreachable: waits between attempts ${waits.join(', ')} ms`);
      expect(attempts().map((l) => l.attempt)).toEqual(attempts().map((_, i) => i + 1));
      for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
      for (const line of attempts()) expect(JSON.stringify(line.err)).toMatch(/getMe/);
      const health = await bot.health();
      expect(health).toMatchObject({ status: 503, body: { ok: false, platforms: { telegram: 'down' } } });

      proxy.restore(); // Telegram comes up
      await bot.waitForLog((l) => l.msg === 'telegram: polling', 60_000, 'polling to start');
      await until(async () => (await bot.health()).status === 200, 20_000, '/healthz 200');
      expect((await bot.health()).body).toMatchObject({ ok: true, platforms: { telegram: 'up' } });
      const ana = fake.user({ first_name: 'Ana', language_code: 'en' });
      const dm = fake.privateChat(ana);
      fake.sendText(dm, ana, '/start');
      await fake.waitUntil(() => fake.botMessages(dm).length === 1, 20_000, 'the answer to /start');

      const warnings = bot.logs().filter((l) => l.msg === 'Telegram not reachable yet, retrying');
      expect(warnings.map((l) => l.level)).toEqual([40]);
      expect(bot.logs().some((l) => l.msg === 'telegram: reachable after failed attempts')).toBe(true);
      const output = bot.output();
      expect(output).not.toContain(fake.token);
      expect(output).not.toContain(fake.token.split(':')[1]!);
    } finally {
      await bot.stop();
      await proxy.close();
      await fake.close();
      await db.drop();
    }
  }, 120_000);
});

describe('Discord unreachable at start-up (the bot process)', () => {
  it('logs each failed attempt with a growing wait, warns once, /healthz 503 naming discord; then connects and answers', async () => {
    const fake = await FakeDiscord.start();
    const restPort = Number(new URL(fake.apiBase).port);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: restPort });
    proxy.down('reset'); // every REST connection to "Discord" is reset (the gateway URL comes from REST)
    const db = sqliteTestDatabase();
    const bot = await startBotProcess({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE_URL: `http://127.0.0.1:${proxy.port}/api`, DATABASE_URL: db.url, LOG_LEVEL: 'debug' });
    try {
      const attempts = () => bot.logs().filter((l) => l.msg === 'discord: connection attempt failed');
      await bot.waitForLog(() => attempts().length >= 4, 60_000, 'four failed attempts');
      const waits = attempts().map((l) => l.retryInMs as number);
      console.info(`[faults] Discord unreachable: waits between attempts ${waits.join(', ')} ms`);
      expect(attempts().map((l) => l.attempt)).toEqual(attempts().map((_, i) => i + 1));
      for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
      expect(await bot.health()).toMatchObject({ status: 503, body: { ok: false, platforms: { discord: 'down' } } });

      proxy.restore(); // Discord comes up
      await bot.waitForLog((l) => l.msg === 'discord: ready', 60_000, 'the gateway to be ready');
      await until(async () => (await bot.health()).status === 200, 20_000, '/healthz 200');
      expect((await bot.health()).body).toMatchObject({ ok: true, platforms: { discord: 'up' } });
      const alice = fake.addUser('alice');
      const interaction = fake.slashCommand({ name: 'help', user: alice });
      await fake.waitFor(() => [...fake.world.messages.values()].find((m) => m.interactionId === interaction.id), 20_000, 'the answer to /help');

      const warnings = bot.logs().filter((l) => l.msg === 'Discord not reachable yet, retrying');
      expect(warnings.map((l) => l.level)).toEqual([40]);
      expect(bot.logs().some((l) => l.msg === 'discord: reachable after failed attempts')).toBe(true);
      expect(bot.output()).not.toContain(fake.token);
    } finally {
      await bot.stop();
      await proxy.close();
      await fake.close();
      await db.drop();
    }
  }, 120_000);
});
