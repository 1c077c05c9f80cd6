// Commands through the real Telegram adapter (grammY, long polling), built as production runs it (dist/), in this
// process, against the fake Bot API in its own process (bench/support/telegram-fake-driver.ts, which also times
// them: from the moment it queues the update to the moment it receives the bot's sendMessage). The adapter's
// outgoing throttle is lifted, as are the fake's rate limits: Telegram itself allows about 30 messages/s per bot,
// so this is about overhead.
import { silentLogger } from './silent-logger.ts';
import { runAdapterLoad, type AdapterLoadOptions, type AdapterLoadResult } from './adapter-load.ts';
import { builtTelegramAdapter } from './built.ts';
import type { TutorFrontDoor } from '../../src/commands/front-door.ts';

/** Counts, per chat, the texts the adapter handed to the front door and what came back (to trace a lost reply). */
function tracedFrontDoor(inner: TutorFrontDoor): { frontDoor: TutorFrontDoor; describe(chatId: string): string } {
  const seen = new Map<string, { texts: number; replies: number; none: number; failed: number }>();
  const frontDoor: TutorFrontDoor = Object.create(inner);
  frontDoor.text = async (incoming, text, options) => {
    const counts = seen.get(incoming.conversation.chatId) ?? { texts: 0, replies: 0, none: 0, failed: 0 };
    seen.set(incoming.conversation.chatId, counts);
    counts.texts++;
    try {
      const replies = await inner.text(incoming, text, options);
      if (!replies || replies.length === 0) counts.none++;
      else counts.replies += replies.length;
      return replies;
    } catch (error) {
      counts.failed++;
      throw error;
    }
  };
  return {
    frontDoor,
    describe(chatId) {
      const c = seen.get(chatId);
      return c ? `${c.texts} texts in, ${c.replies} replies out, ${c.none} answered with nothing, ${c.failed} failed` : 'never called';
    },
  };
}

export async function telegramCommandLoad(o: AdapterLoadOptions): Promise<AdapterLoadResult> {
  let adapterModule: typeof import('../../src/bots/telegram/index.ts');
  try {
    adapterModule = await builtTelegramAdapter();
  } catch (error) {
    return { unavailable: `the Telegram adapter could not be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  const frontDoor = tracedFrontDoor(o.frontDoor);
  const runs = await runAdapterLoad('telegram', o, (fake) =>
    adapterModule.createTelegramAdapter({
      token: fake.token!,
      apiRoot: fake.apiRoot!,
      frontDoor: frontDoor.frontDoor,
      logger: silentLogger(),
      pollTimeoutSeconds: 1,
      stopTimeoutMs: 3000,
      // A bucket of a million never runs dry; refillMs 1 would make Bottleneck run a 1 ms timer per chat (CPU of its own).
      limits: { privateChat: { burst: 1_000_000, refillMs: 60_000 }, group: { burst: 1_000_000, refillMs: 60_000 }, globalPerSecond: 1_000_000 },
    }),
  );
  // A load that left commands unanswered: what the bot's side saw of those chats, next to the fake's account.
  for (const run of runs) {
    const chats = run.report.unansweredChats ?? [];
    if (chats.length > 0) run.report.detail += `. The bot's front door, since the bot started (the warm-up included): ${chats.map((chat) => `chat ${chat} ${frontDoor.describe(chat)}`).join('; ')}`;
  }
  return {
    runs,
    note: 'fake Bot API (own process) update queued → getUpdates (long polling) → grammY → front door → sendMessage received by the fake; throttles lifted',
  };
}
