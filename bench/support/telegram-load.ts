// 200 commands/s through the real Telegram adapter (grammY, long polling) against the fake Bot API:
// timed from the moment the fake queues the update to the moment it receives the bot's sendMessage.
// Both the adapter's outgoing throttle and the fake's rate limits are lifted: Telegram itself allows about
// 30 messages/s per bot, so this rate is about overhead, not about what one real bot may send.
import { silentLogger } from './silent-logger.ts';
import { openLoop } from './open-loop.ts';
import { nextTurn, withTimeout } from './stats.ts';
import { ReplyWaiters, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';

type RecordFn = (method: string, payload: Record<string, unknown>, body: Record<string, unknown>) => void;

export async function telegramCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  let adapterModule: typeof import('../../src/bots/telegram/index.ts');
  let fakeModule: typeof import('../../test/support/fake-telegram/index.ts');
  try {
    adapterModule = await import('../../src/bots/telegram/index.ts');
    fakeModule = await import('../../test/support/fake-telegram/index.ts');
  } catch (error) {
    return { unavailable: `the Telegram adapter or its fake could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  const unlimited = { max: 1_000_000, windowMs: 1000 };
  const fake = await fakeModule.createFakeTelegram({ rateLimits: { perChat: unlimited, perGroup: unlimited, global: unlimited } });
  const adapter = adapterModule.createTelegramAdapter({
    token: fake.token,
    apiRoot: fake.apiRoot,
    frontDoor: o.frontDoor,
    logger: silentLogger(),
    pollTimeoutSeconds: 1,
    stopTimeoutMs: 3000,
    limits: { privateChat: { burst: 1_000_000, refillMs: 1 }, group: { burst: 1_000_000, refillMs: 1 }, globalPerSecond: 1_000_000 },
  });
  const waiters = new ReplyWaiters<number>();
  // Every answered Bot API call passes through record(); a sendMessage settles the oldest command of its chat.
  const recorder = fake as unknown as { record: RecordFn };
  const record = recorder.record.bind(fake);
  recorder.record = (method, payload, body) => {
    record(method, payload, body);
    if (method !== 'sendMessage') return;
    const text = String(payload.text ?? '');
    const problem = body.ok !== true ? new Error(`sendMessage refused: ${String(body.description)}`) : text.includes('cuchillo') ? undefined : new Error(`unexpected reply: ${text.slice(0, 120)}`);
    waiters.settle(Number(payload.chat_id), problem);
  };
  try {
    await adapter.start();
    const learners = Array.from({ length: o.learners }, (_, n) => {
      const user = fake.user({ first_name: `Learner${n}`, language_code: 'en' });
      return { user, chat: fake.privateChat(user) };
    });
    const say = (n: number) => {
      const { user, chat } = learners[n % learners.length]!;
      const answered = waiters.wait(chat.id);
      fake.sendText(chat, user, o.command);
      return answered;
    };
    await withTimeout(Promise.all(learners.map((_, n) => say(n))), 30_000, 'Telegram warm-up'); // creates every learner
    await nextTurn();
    const result = await openLoop({ ratePerSecond: o.rate, count: o.count, maxMs: o.maxMs, send: say });
    return { result, note: 'fake Bot API update queued → getUpdates (long polling) → grammY → front door → sendMessage received by the fake; throttles lifted' };
  } finally {
    await adapter.stop();
    await fake.close();
  }
}
