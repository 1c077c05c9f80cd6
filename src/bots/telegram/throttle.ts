// Outgoing throttling as a grammY API transformer, so the bot stays under Telegram's limits instead of
// collecting 429s: about 1 message/s per chat (short bursts tolerated), 20/min per group, 30/s overall.
// Each chat gets a token bucket (Bottleneck reservoir that refills one token per interval up to its size);
// all buckets feed one global limiter. Only methods that post or change messages are throttled: chat
// actions, callback answers and getUpdates must never wait behind a queue of messages.
import Bottleneck from 'bottleneck';
import type { Transformer } from 'grammy';

export interface Bucket {
  /** Messages that may go out at once. */
  burst: number;
  /** One more message may go out every this many ms. */
  refillMs: number;
}

export interface ThrottleLimits {
  privateChat: Bucket;
  /** Groups: 4 at once, then one per 4 s = at most 4 + 15 in any minute, under the 20/min limit. */
  group: Bucket;
  globalPerSecond: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  privateChat: { burst: 3, refillMs: 1000 },
  group: { burst: 4, refillMs: 4000 },
  globalPerSecond: 30,
};

const THROTTLED_METHODS = new Set([
  'sendMessage',
  'sendDocument',
  'sendPhoto',
  'sendAudio',
  'sendVoice',
  'sendVideo',
  'sendAnimation',
  'sendSticker',
  'sendMediaGroup',
  'sendPoll',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'createForumTopic',
]);

export interface Throttler {
  transformer: Transformer;
  /** Stops the limiters' timers. Call after in-flight updates are done. */
  stop(): Promise<void>;
}

function bucketOptions(bucket: Bucket): Bottleneck.ConstructorOptions {
  return {
    // One at a time per chat also keeps the parts of a split reply in order.
    maxConcurrent: 1,
    reservoir: bucket.burst,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: bucket.refillMs,
    reservoirIncreaseMaximum: bucket.burst,
  };
}

export function createThrottler(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS): Throttler {
  const global = new Bottleneck({
    reservoir: limits.globalPerSecond,
    reservoirRefreshAmount: limits.globalPerSecond,
    reservoirRefreshInterval: 1000,
  });
  const privateChats = new Bottleneck.Group(bucketOptions(limits.privateChat));
  const groups = new Bottleneck.Group(bucketOptions(limits.group));
  privateChats.on('created', (limiter) => limiter.chain(global));
  groups.on('created', (limiter) => limiter.chain(global));

  const transformer: Transformer = (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (!THROTTLED_METHODS.has(method) || chatId === undefined) return prev(method, payload, signal);
    // Group and supergroup ids are negative; private chats positive; @channelusername strings count as groups.
    const isPrivate = typeof chatId === 'number' ? chatId > 0 : /^\d+$/.test(chatId);
    const limiter = (isPrivate ? privateChats : groups).key(String(chatId));
    return limiter.schedule(() => prev(method, payload, signal));
  };

  return {
    transformer,
    async stop() {
      // Group.disconnect only closes Redis connections; each local limiter holds its own (unref'd) timer.
      const limiters = [...privateChats.limiters(), ...groups.limiters()].map(({ limiter }) => limiter);
      await Promise.all([...limiters, global].map((limiter) => limiter.disconnect(false)));
    },
  };
}
