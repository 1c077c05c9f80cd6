// Outgoing throttling as a grammY API transformer, so the bot stays under Telegram's limits instead of
// collecting 429s: about 1 message/s per chat (short bursts tolerated), 20/min per group, 30/s overall.
// Each chat has a token bucket (`burst` tokens, one more every `refillMs`) and sends one message at a time
// (the parts of a split reply stay in order); every message also takes a token of the global bucket (30 per
// one-second window). Only methods that post or change messages are throttled: chat actions, callback
// answers and getUpdates must never wait behind a queue of messages.
//
// Hand-written rather than Bottleneck (used here before): Bottleneck passes every job through several
// setTimeout(0) hops and keeps a timer per chat, which cost about 1 ms of latency and CPU per message at a
// few hundred commands/s (`npm run bench -- --only=request-path`). Here a message that finds tokens goes out
// in the caller's own tick; timers exist only while a message waits for a token.
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
  /** Stops waiting: messages still queued go out at once, unthrottled. Call after in-flight updates are done. */
  stop(): Promise<void>;
}

interface Job {
  run(): Promise<unknown>;
}

/** One chat's bucket and its queue of messages (one sent at a time). */
interface ChatLane {
  readonly bucket: Bucket;
  tokens: number;
  /** When the tokens were last topped up (whole refill intervals only). */
  refilledAt: number;
  readonly queue: Job[];
  sending: boolean;
  /** Set while the lane waits for a token of its own. */
  timer: NodeJS.Timeout | undefined;
  /** Set while the lane waits in the global queue. */
  waitingForGlobal: boolean;
}

/** A lane idle this long has a full bucket again and is forgotten (a new one starts full). */
const SWEEP_INTERVAL_MS = 60_000;

export function createThrottler(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS): Throttler {
  const lanes = new Map<string, ChatLane>();
  const global = { left: limits.globalPerSecond, windowStart: Date.now(), waiting: [] as ChatLane[], timer: undefined as NodeJS.Timeout | undefined };
  let stopped = false;

  const refill = (lane: ChatLane, now: number) => {
    const intervals = Math.floor((now - lane.refilledAt) / lane.bucket.refillMs);
    if (intervals <= 0) return;
    lane.tokens = Math.min(lane.bucket.burst, lane.tokens + intervals);
    lane.refilledAt = lane.tokens === lane.bucket.burst ? now : lane.refilledAt + intervals * lane.bucket.refillMs;
  };
  const globalTokenLeft = (now: number) => {
    if (now - global.windowStart >= 1000) {
      global.windowStart = now;
      global.left = limits.globalPerSecond;
    }
    return global.left > 0;
  };
  const wakeGlobalWaiters = () => {
    global.timer = undefined;
    const waiting = global.waiting;
    global.waiting = [];
    for (const lane of waiting) {
      lane.waitingForGlobal = false;
      pump(lane);
    }
  };

  /** Sends the lane's next message if it may go now; otherwise arranges to try again when it may. */
  function pump(lane: ChatLane): void {
    if (lane.sending || lane.timer || lane.waitingForGlobal) return;
    const job = lane.queue[0];
    if (!job) return;
    if (!stopped) {
      const now = Date.now();
      refill(lane, now);
      if (lane.tokens < 1) {
        lane.timer = setTimeout(() => {
          lane.timer = undefined;
          pump(lane);
        }, lane.refilledAt + lane.bucket.refillMs - now);
        return;
      }
      if (!globalTokenLeft(now)) {
        lane.waitingForGlobal = true;
        global.waiting.push(lane);
        global.timer ??= setTimeout(wakeGlobalWaiters, global.windowStart + 1000 - now);
        return;
      }
      lane.tokens -= 1;
      global.left -= 1;
    }
    lane.queue.shift();
    lane.sending = true;
    const next = () => {
      lane.sending = false;
      pump(lane);
    };
    job.run().then(next, next); // the message's own outcome goes to its caller (see the transformer)
  }

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, lane] of lanes) {
      if (lane.sending || lane.queue.length > 0) continue;
      refill(lane, now);
      if (lane.tokens >= lane.bucket.burst) lanes.delete(key);
    }
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  const laneFor = (key: string, bucket: Bucket): ChatLane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { bucket, tokens: bucket.burst, refilledAt: Date.now(), queue: [], sending: false, timer: undefined, waitingForGlobal: false };
      lanes.set(key, lane);
    }
    return lane;
  };

  const transformer: Transformer = (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (!THROTTLED_METHODS.has(method) || chatId === undefined) return prev(method, payload, signal);
    // Group and supergroup ids are negative; private chats positive; @channelusername strings count as groups.
    const isPrivate = typeof chatId === 'number' ? chatId > 0 : /^\d+$/.test(chatId);
    const lane = laneFor(`${isPrivate ? 'p' : 'g'}${chatId}`, isPrivate ? limits.privateChat : limits.group);
    return new Promise((resolve, reject) => {
      lane.queue.push({
        run: () => {
          let sent: ReturnType<typeof prev>;
          try {
            sent = prev(method, payload, signal);
          } catch (error) {
            sent = Promise.reject(error) as ReturnType<typeof prev>;
          }
          sent.then(resolve, reject);
          return sent;
        },
      });
      pump(lane);
    }) as ReturnType<typeof prev>;
  };

  return {
    transformer,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      if (global.timer) clearTimeout(global.timer);
      for (const lane of lanes.values()) {
        if (lane.timer) clearTimeout(lane.timer);
        lane.timer = undefined;
      }
      wakeGlobalWaiters();
      for (const lane of lanes.values()) pump(lane);
    },
  };
}
