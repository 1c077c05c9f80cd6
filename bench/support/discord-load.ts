// 200 commands/s through the real Discord adapter (discord.js) against the fake Discord (gateway + REST):
// /flashcards as a slash command, timed from the gateway dispatch of INTERACTION_CREATE to the REST call that
// carries the cards (the edit of the deferred reply). discord.js's own global limit of 50 REST requests/s
// (Discord's documented per-bot limit) is lifted for the run, as Telegram's throttles are: each command
// makes about 7 requests (defer, edit, 5 rating reactions), so at 200/s this is about overhead only.
import { createRequire } from 'node:module';
import { silentLogger } from './silent-logger.ts';
import { openLoop } from './open-loop.ts';
import { median, percentile, withTimeout } from './stats.ts';
import { ReplyWaiters, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';

interface RecordedRestCall {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

export async function discordCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  let adapterModule: typeof import('../../src/bots/discord/index.ts');
  let fakeModule: typeof import('../../test/support/fake-discord/index.ts');
  let rest: { DefaultRestOptions: { globalRequestsPerSecond: number } };
  try {
    adapterModule = await import('../../src/bots/discord/index.ts');
    fakeModule = await import('../../test/support/fake-discord/index.ts');
    // discord.js is CommonJS and require()s @discordjs/rest's CommonJS build; `import('@discordjs/rest')` here
    // would load its separate ESM build, whose DefaultRestOptions discord.js never reads (dual package), and the
    // client would keep its 50 requests/s. So take the very module instance discord.js itself loads.
    const requireFromHere = createRequire(import.meta.url);
    rest = createRequire(requireFromHere.resolve('discord.js'))('@discordjs/rest') as typeof rest;
  } catch (error) {
    return { unavailable: `the Discord adapter or its fake could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  const previousGlobalLimit = rest.DefaultRestOptions.globalRequestsPerSecond;
  rest.DefaultRestOptions.globalRequestsPerSecond = 1_000_000;
  const fake = await fakeModule.FakeDiscord.start();
  const adapter = adapterModule.createDiscordAdapter({
    token: fake.token,
    apiBaseUrl: fake.apiBase,
    frontDoor: o.frontDoor,
    logger: silentLogger(),
    messageContentIntent: true,
  });
  // Every REST call the fake answered is pushed onto fake.calls; the first one carrying the cards for an
  // interaction token settles that command.
  const waiters = new ReplyWaiters<string>();
  const open = new Set<string>();
  // Where the time goes, per command: dispatch → first callback (the defer), and defer → the edit with the cards.
  const dispatchedAt = new Map<string, number>();
  const deferredAt = new Map<string, number>();
  const toDefer: number[] = [];
  const deferToReply: number[] = [];
  const calls = fake.calls as unknown as RecordedRestCall[];
  const push = calls.push.bind(calls);
  calls.push = (...items: RecordedRestCall[]) => {
    const length = push(...items);
    for (const call of items) {
      const token = /^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/.exec(call.path)?.[1];
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
    return length;
  };
  try {
    await adapter.start();
    const learners = Array.from({ length: o.learners }, (_, n) => fake.addUser(`learner${n}`, { globalName: `Learner ${n}` }));
    const [topic, count] = ['kitchen words', Number(/count:(\d+)/.exec(o.command)?.[1] ?? 4)];
    const say = (n: number) => {
      // Each learner in their own DM with the bot, as Telegram learners are in private chats (a shared guild
      // channel would put every learner's rating reactions in one discord.js per-channel request queue).
      const sentAt = performance.now();
      const interaction = fake.slashCommand({ name: 'flashcards', options: { topic, count }, user: learners[n % learners.length]!, dm: true });
      open.add(interaction.token);
      dispatchedAt.set(interaction.token, sentAt);
      return waiters.wait(interaction.token);
    };
    for (let n = 0; n < learners.length; n++) await withTimeout(say(n), 10_000, 'Discord warm-up'); // creates every learner
    toDefer.length = 0;
    deferToReply.length = 0;
    const result = await openLoop({ ratePerSecond: o.rate, count: o.count, maxMs: o.maxMs, send: say });
    return {
      result,
      note:
        "/flashcards slash command in each learner's DM: fake gateway INTERACTION_CREATE → discord.js → defer → front door → REST edit of the deferred reply received by the fake; discord.js global REST limit lifted. " +
        `Split: dispatch → defer received median ${median(toDefer).toFixed(1)} ms (p99 ${percentile(toDefer, 99).toFixed(0)}); defer → cards received median ${median(deferToReply).toFixed(1)} ms (p99 ${percentile(deferToReply, 99).toFixed(0)})`,
    };
  } finally {
    await adapter.stop();
    await fake.close();
    rest.DefaultRestOptions.globalRequestsPerSecond = previousGlobalLimit;
  }
}
