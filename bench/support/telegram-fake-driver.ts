// The fake Bot API's side of the Telegram load (runs in the fake's own process): learners in private chats send
// the command; each is timed from the moment the fake queues the update to the moment it receives the bot's
// sendMessage. Its rate limits are lifted: Telegram itself allows about 30 messages/s per bot, so 200/s is
// about overhead, not about what one real bot may send.
import { createFakeTelegram } from '../../test/support/fake-telegram/index.ts';
import { openLoop } from './open-loop.ts';
import { nextTurn, withTimeout } from './stats.ts';
import { ReplyWaiters } from './adapter-load.ts';
import { CallCounter, measured, type FakePlatformDriver } from './fake-platform-driver.ts';

type RecordFn = (method: string, payload: Record<string, unknown>, body: Record<string, unknown>) => void;

export async function startTelegramFake(): Promise<FakePlatformDriver> {
  const unlimited = { max: 1_000_000, windowMs: 1000 };
  const fake = await createFakeTelegram({ rateLimits: { perChat: unlimited, perGroup: unlimited, global: unlimited } });
  const waiters = new ReplyWaiters<number>();
  const counter = new CallCounter();
  // Every answered Bot API call passes through record(); a sendMessage settles the oldest command of its chat.
  // The fake keeps no list of calls here: at 200/s it would only grow.
  const recorder = fake as unknown as { record: RecordFn };
  // Where a command whose answer never came was lost (its update never fetched, or fetched and not answered):
  // per chat, the update ids queued and the sendMessage calls received during the load, and every update id that
  // a getUpdates answer carried. Reported only for a load with unanswered commands.
  const trace = { queued: new Map<number, number[]>(), fetched: new Set<number>(), sent: new Map<number, number>() };
  recorder.record = (method, payload, body) => {
    counter.add(method);
    if (method === 'getUpdates' && Array.isArray(body.result)) for (const update of body.result as Array<{ update_id: number }>) trace.fetched.add(update.update_id);
    if (method !== 'sendMessage') return;
    trace.sent.set(Number(payload.chat_id), (trace.sent.get(Number(payload.chat_id)) ?? 0) + 1);
    const text = String(payload.text ?? '');
    const problem = body.ok !== true ? new Error(`sendMessage refused: ${String(body.description)}`) : text.includes('cuchillo') ? undefined : new Error(`unexpected reply: ${text.slice(0, 120)}`);
    waiters.settle(Number(payload.chat_id), problem);
  };
  let learners: Array<{ user: ReturnType<typeof fake.user>; chat: ReturnType<typeof fake.privateChat> }> = [];
  let command = '';
  const say = (n: number) => {
    const { user, chat } = learners[n % learners.length]!;
    const answered = waiters.wait(chat.id);
    const { update_id } = fake.pushUpdate(fake.updates.text(chat, user, command).update);
    const queued = trace.queued.get(chat.id);
    if (queued) queued.push(update_id);
    else trace.queued.set(chat.id, [update_id]);
    return answered;
  };
  return {
    info: { token: fake.token, apiRoot: fake.apiRoot },
    async warm(count, text) {
      command = text;
      learners = Array.from({ length: count }, (_, n) => {
        const user = fake.user({ first_name: `Learner${n}`, language_code: 'en' });
        return { user, chat: fake.privateChat(user) };
      });
      await withTimeout(Promise.all(learners.map((_, n) => say(n))), 30_000, 'Telegram warm-up'); // creates every learner
      await nextTurn();
    },
    async load({ rate, count, maxMs }) {
      counter.start();
      trace.queued.clear();
      trace.fetched.clear();
      trace.sent.clear();
      const { result, fakeCpuMsPerCommand, fakeStalls } = await measured(count, () => openLoop({ ratePerSecond: rate, count, maxMs, send: say }));
      const unanswered = result.failures > 0 ? waiters.pending() : [];
      return {
        result,
        fakeCpuMsPerCommand,
        fakeStalls,
        callsPerCommand: counter.report(count),
        ...(unanswered.length > 0 ? { unansweredChats: unanswered.map(String), detail: describeLosses(unanswered, trace) } : {}),
      };
    },
    close: () => fake.close(),
  };
}

/** For each chat left waiting: its updates queued, those a getUpdates answer carried, and the replies received. */
function describeLosses(chats: number[], trace: { queued: Map<number, number[]>; fetched: Set<number>; sent: Map<number, number> }): string {
  const lines = chats.slice(0, 5).map((chat) => {
    const queued = trace.queued.get(chat) ?? [];
    const unfetched = queued.filter((id) => !trace.fetched.has(id));
    return `chat ${chat}: ${queued.length} commands, ${queued.length - unfetched.length} fetched by getUpdates${unfetched.length > 0 ? ` (not: update ${unfetched.join(', ')})` : ''}, ${trace.sent.get(chat) ?? 0} sendMessage received`;
  });
  return `Unanswered: ${lines.join('; ')}${chats.length > 5 ? '; …' : ''}`;
}
