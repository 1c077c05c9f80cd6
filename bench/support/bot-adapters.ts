// The platform adapters as the bench runs them in the bot's process (bench/support/bot-process-child.ts), built as
// production runs them (dist/), against a platform's fake (its address and token in `fake`). The adapters' own
// outgoing throttles are lifted, as are the fakes' rate limits: Telegram itself allows about 30 messages/s per bot,
// discord.js 50 REST requests/s (Discord's documented per-bot limit), so the loads are about overhead.
import type { TutorFrontDoor } from '../../src/commands/front-door.ts';
import type { PlatformAdapter } from '../../src/bots/adapter.ts';
import { builtDiscordAdapter, builtTelegramAdapter } from './built.ts';
import { silentLogger } from './silent-logger.ts';

export interface BenchAdapter {
  adapter: PlatformAdapter;
  /** What the bot's front door was handed and returned in one chat (to trace a lost reply); Telegram only. */
  describeChat(chatId: string): string;
}

/** Counts, per chat, the texts the adapter handed to the front door and what came back. */
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

export async function benchAdapter(platform: 'telegram' | 'discord', frontDoor: TutorFrontDoor, fake: Record<string, string>): Promise<BenchAdapter> {
  if (platform === 'discord') {
    const { createDiscordAdapter } = await builtDiscordAdapter();
    const adapter = createDiscordAdapter({
      token: fake.token!,
      apiBaseUrl: fake.apiBase!,
      frontDoor,
      logger: silentLogger(),
      messageContentIntent: true,
      restGlobalRequestsPerSecond: 1_000_000,
    });
    return { adapter, describeChat: () => 'not traced' };
  }
  const { createTelegramAdapter } = await builtTelegramAdapter();
  const traced = tracedFrontDoor(frontDoor);
  const adapter = createTelegramAdapter({
    token: fake.token!,
    apiRoot: fake.apiRoot!,
    frontDoor: traced.frontDoor,
    logger: silentLogger(),
    pollTimeoutSeconds: 1,
    stopTimeoutMs: 3000,
    // A bucket of a million never runs dry; refillMs 1 would make Bottleneck run a 1 ms timer per chat (CPU of its own).
    limits: { privateChat: { burst: 1_000_000, refillMs: 60_000 }, group: { burst: 1_000_000, refillMs: 60_000 }, globalPerSecond: 1_000_000 },
  });
  return { adapter, describeChat: traced.describe };
}
