// The fake Discord's side of the Discord load (runs in the fake's own process): /flashcards as a slash command
// in each learner's DM, timed from the gateway dispatch of INTERACTION_CREATE to the REST call that carries the
// cards (the edit of the deferred reply), both seen by this process.
import { FakeDiscord, type FakeUser } from '../../test/support/fake-discord/index.ts';
import { openLoop } from './open-loop.ts';
import { median, percentile, withTimeout } from './stats.ts';
import { ReplyWaiters } from './adapter-load.ts';
import { CallCounter, measured, type FakePlatformDriver } from './fake-platform-driver.ts';

interface RecordedRestCall {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

const TOKEN_IN_PATH = /^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/;

/** "PATCH /webhooks/:id/:token/messages/@original", "PUT /channels/:id/messages/:id/reactions/:emoji/@me"… */
function callKind(call: RecordedRestCall): string {
  const path = call.path
    .replace(/^(\/(?:interactions|webhooks)\/\d+\/)[^/]+/, '$1:token')
    .replace(/\/\d{5,}/g, '/:id')
    .replace(/\/reactions\/[^/]+/, '/reactions/:emoji');
  return `${call.method} ${path}${call.status >= 400 ? ` → ${call.status}` : ''}`;
}

export async function startDiscordFake(): Promise<FakePlatformDriver> {
  const fake = await FakeDiscord.start();
  const waiters = new ReplyWaiters<string>();
  const counter = new CallCounter();
  const open = new Set<string>();
  // Where the time goes, per command: dispatch → first callback (the defer), and defer → the edit with the cards.
  const dispatchedAt = new Map<string, number>();
  const deferredAt = new Map<string, number>();
  const toDefer: number[] = [];
  const deferToReply: number[] = [];
  // Every REST call the fake answered is pushed onto fake.calls (kept empty here: at 200/s it would only grow);
  // the first one carrying the cards for an interaction token settles that command.
  const calls = fake.calls as unknown as RecordedRestCall[];
  calls.push = (...items: RecordedRestCall[]) => {
    for (const call of items) {
      counter.add(callKind(call));
      const token = TOKEN_IN_PATH.exec(call.path)?.[1];
      if (!token || !open.has(token)) continue;
      const now = performance.now();
      if (call.path.endsWith('/callback') && !deferredAt.has(token)) {
        deferredAt.set(token, now);
        toDefer.push(now - (dispatchedAt.get(token) ?? now));
      }
      if (call.status >= 400) {
        open.delete(token);
        waiters.settle(token, new Error(`${call.method} ${call.path.replace(token, '…')} → ${call.status}`));
      } else if (JSON.stringify(call.body ?? '').includes('cuchillo')) {
        open.delete(token);
        if (deferredAt.has(token)) deferToReply.push(now - deferredAt.get(token)!);
        dispatchedAt.delete(token);
        deferredAt.delete(token);
        waiters.settle(token);
      }
    }
    return 0;
  };
  let learners: FakeUser[] = [];
  let options: { topic: string; count: number } = { topic: 'kitchen words', count: 4 };
  const say = (n: number) => {
    // Each learner in their own DM with the bot, as Telegram learners are in private chats (a shared guild
    // channel would put every learner's rating reactions in one discord.js per-channel request queue).
    const sentAt = performance.now();
    const interaction = fake.slashCommand({ name: 'flashcards', options, user: learners[n % learners.length]!, dm: true });
    open.add(interaction.token);
    dispatchedAt.set(interaction.token, sentAt);
    return waiters.wait(interaction.token);
  };
  return {
    info: { token: fake.token, apiBase: fake.apiBase },
    async warm(count, command) {
      options = { topic: 'kitchen words', count: Number(/count:(\d+)/.exec(command)?.[1] ?? 4) };
      learners = Array.from({ length: count }, (_, n) => fake.addUser(`learner${n}`, { globalName: `Learner ${n}` }));
      for (let n = 0; n < learners.length; n++) await withTimeout(say(n), 10_000, 'Discord warm-up'); // creates every learner
    },
    async load({ rate, count, maxMs }) {
      toDefer.length = 0;
      deferToReply.length = 0;
      counter.start();
      const { result, fakeCpuMsPerCommand, fakeStalls } = await measured(count, () => openLoop({ ratePerSecond: rate, count, maxMs, send: say }));
      const ms = (values: number[]) => `median ${median(values).toFixed(1)} ms (p99 ${percentile(values, 99).toFixed(0)})`;
      return {
        result,
        fakeCpuMsPerCommand,
        fakeStalls,
        callsPerCommand: counter.report(count),
        detail: `dispatch → defer received ${ms(toDefer)}; defer → cards received ${ms(deferToReply)}`,
      };
    },
    close: () => fake.close(),
  };
}
