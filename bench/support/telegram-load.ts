// Commands through the real Telegram adapter (grammY, long polling), built as production runs it (dist/), in this
// process, against the fake Bot API in its own process (bench/support/telegram-fake-driver.ts, which also times
// them: from the moment it queues the update to the moment it receives the bot's sendMessage). The adapter's
// outgoing throttle is lifted, as are the fake's rate limits: Telegram itself allows about 30 messages/s per bot,
// so this is about overhead.
import { silentLogger } from './silent-logger.ts';
import { runAdapterLoad, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';
import { builtTelegramAdapter } from './built.ts';

export async function telegramCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  let adapterModule: typeof import('../../src/bots/telegram/index.ts');
  try {
    adapterModule = await builtTelegramAdapter();
  } catch (error) {
    return { unavailable: `the Telegram adapter could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  const runs = await runAdapterLoad('telegram', o, (fake) =>
    adapterModule.createTelegramAdapter({
      token: fake.token!,
      apiRoot: fake.apiRoot!,
      frontDoor: o.frontDoor,
      logger: silentLogger(),
      pollTimeoutSeconds: 1,
      stopTimeoutMs: 3000,
      // A bucket of a million never runs dry; refillMs 1 would make Bottleneck run a 1 ms timer per chat (CPU of its own).
      limits: { privateChat: { burst: 1_000_000, refillMs: 60_000 }, group: { burst: 1_000_000, refillMs: 60_000 }, globalPerSecond: 1_000_000 },
    }),
  );
  return {
    runs,
    note: 'fake Bot API (own process) update queued → getUpdates (long polling) → grammY → front door → sendMessage received by the fake; throttles lifted',
  };
}
