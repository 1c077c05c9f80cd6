// Against an independent Telegram Bot API emulator (npm: telegram-test-api, not written here): it implements
// only getMe, getUpdates, sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery,
// deleteMessage and the webhook calls, and answers everything else (setMyCommands, sendChatAction, …) with
// HTTP 500. The bot must answer /start and /flashcards, store a rating from its buttons, and keep running.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { createTelegramAdapter, type TelegramAdapter } from '../../src/bots/telegram/index.ts';
import { decodeAction } from '../../src/core/actions.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { telegramToken } from '../support/fake-secrets.ts';

const TOKEN = telegramToken('123456789', 'AAEmulatorTokenForTestsOnly_abcdef');
const USER_ID = 4242;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let emulator: TelegramServer;
let core: TestCore;
let adapter: TelegramAdapter;
let client: ReturnType<TelegramServer['getClient']>;

beforeAll(async () => {
  emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await emulator.start();
  core = await createTestCore();
  adapter = createTelegramAdapter({ token: TOKEN, apiRoot: emulator.config.apiURL, frontDoor: core.frontDoor, logger: core.logger });
  await adapter.start();
  client = emulator.getClient(TOKEN, { userId: USER_ID, chatId: USER_ID, firstName: 'Ana', userName: 'ana', type: 'private', timeout: 10_000 });
});

afterAll(async () => {
  await adapter?.stop();
  await core?.close();
  await emulator?.stop();
});

type BotMessage = { message: { text: string; message_id: number; reply_markup?: string | { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } } };

/** Sends a command and collects the bot's messages until one matches. */
async function ask(text: string, until: RegExp): Promise<BotMessage['message'][]> {
  await client.sendCommand(client.makeCommand(text));
  const seen: BotMessage['message'][] = [];
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const updates = (await client.getUpdates()) as unknown as { result: BotMessage[] };
    seen.push(...updates.result.map((u) => u.message));
    if (seen.some((m) => until.test(m.text))) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no reply matching ${until} to ${text}; got ${JSON.stringify(seen.map((m) => m.text))}`);
}

function keyboard(message: BotMessage['message']) {
  const markup = typeof message.reply_markup === 'string' ? JSON.parse(message.reply_markup) : message.reply_markup;
  return (markup?.inline_keyboard ?? []).flat() as Array<{ text: string; callback_data?: string }>;
}

describe('an independent Telegram Bot API emulator', () => {
  it('answers /start although setMyCommands and sendChatAction fail there', async () => {
    const replies = await ask('/start', /language tutor/);
    expect(replies.some((m) => m.text.includes('/flashcards'))).toBe(true);
    expect(adapter.isConnected()).toBe(true);
  });

  it('answers /flashcards, and its rating buttons store feedback', async () => {
    const replies = await ask('/flashcards kitchen words count:3', /el cuchillo/);
    const cards = replies.find((m) => m.text.includes('el cuchillo'))!;
    const rate4 = keyboard(cards).find((b) => {
      const action = b.callback_data ? decodeAction(b.callback_data) : undefined;
      return action?.kind === 'rate' && action.rating === 4;
    });
    expect(rate4).toBeDefined();
    await client.sendCallback(client.makeCallbackQuery(rate4!.callback_data!, { message: { message_id: cards.message_id } }));
    const deadline = Date.now() + 10_000;
    while ((await core.prisma.feedback.count()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await core.core.activityLog.flush(); // the rating links to the output's log entry once that entry is written
    const feedback = await core.prisma.feedback.findMany();
    expect(feedback.map((f) => f.rating)).toEqual([4]);
    expect(feedback[0]!.relatedLogId).not.toBeNull();
  });

  it('keeps running after the emulator rejected methods it does not implement', async () => {
    const replies = await ask('/help', /Commands/);
    expect(replies.length).toBeGreaterThan(0);
    expect(adapter.isConnected()).toBe(true);
  });
});
