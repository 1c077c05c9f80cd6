// Commands through the real Telegram adapter (grammY, long polling) in the bot's own process
// (bench/support/bot-process.ts, bot-adapters.ts), against the fake Bot API in another (telegram-fake-driver.ts,
// which also times them: from the moment it queues the update to the moment it receives the bot's sendMessage).
import { runAdapterLoad, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';

export async function telegramCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  return {
    ...(await runAdapterLoad('telegram', o)),
    note: 'fake Bot API (own process) update queued → getUpdates (long polling) → grammY → front door (the bot in its own process, plain node over dist/) → sendMessage received by the fake; throttles lifted',
  };
}
