// The outgoing throttle on its own (src/bots/telegram/throttle.ts): per-chat buckets, one message at a time
// per chat in order, the global bucket, methods that are never throttled, stop(). The end-to-end checks against
// the fake Bot API's enforced limits are in resilience.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { Transformer } from 'grammy';
import { createThrottler, type Throttler } from '../../src/bots/telegram/throttle.ts';

type Prev = Parameters<Transformer>[0];

/** A stand-in for the next step of grammY's API call: records when each call starts, answers after `ms`. */
function recorder(ms = 5) {
  const started: Array<{ method: string; text: string; at: number }> = [];
  let inFlight = new Map<string, number>();
  let maxInFlightPerChat = 0;
  const t0 = Date.now();
  const prev = ((method: string, payload: { chat_id: number; text?: string }) => {
    const chat = String(payload.chat_id);
    started.push({ method, text: payload.text ?? '', at: Date.now() - t0 });
    inFlight.set(chat, (inFlight.get(chat) ?? 0) + 1);
    maxInFlightPerChat = Math.max(maxInFlightPerChat, inFlight.get(chat)!);
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        inFlight.set(chat, inFlight.get(chat)! - 1);
        if (payload.text === 'fail') reject(new Error('refused'));
        else resolve({ ok: true, result: { text: payload.text } });
      }, ms),
    );
  }) as unknown as Prev;
  return {
    prev,
    started,
    maxInFlight: () => maxInFlightPerChat,
    reset() {
      inFlight = new Map();
    },
  };
}

let throttler: Throttler | undefined;
afterEach(async () => {
  await throttler?.stop();
  throttler = undefined;
});

const send = (t: Throttler, prev: Prev, chatId: number, text: string, method = 'sendMessage') =>
  (t.transformer as unknown as (p: Prev, m: string, payload: unknown) => Promise<{ result: { text: string } }>)(prev, method, { chat_id: chatId, text });

describe('Telegram outgoing throttle', () => {
  it('sends a burst at once, then one message per refill interval, one at a time and in order', async () => {
    throttler = createThrottler({ privateChat: { burst: 3, refillMs: 150 }, group: { burst: 1, refillMs: 1000 }, globalPerSecond: 100 });
    const r = recorder();
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => send(throttler!, r.prev, 42, `m${i}`)));
    expect(replies.map((reply) => reply.result.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(r.started.map((s) => s.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(r.maxInFlight()).toBe(1);
    expect(r.started[2]!.at).toBeLessThan(100); // the burst
    expect(r.started[3]!.at).toBeGreaterThanOrEqual(140); // then the bucket's pace
    expect(r.started[4]!.at - r.started[3]!.at).toBeGreaterThanOrEqual(140);
    expect(r.started[5]!.at - r.started[4]!.at).toBeGreaterThanOrEqual(140);
  });

  it('a message that finds a token starts in the caller’s own tick (no timer in between)', () => {
    throttler = createThrottler();
    const r = recorder();
    void send(throttler, r.prev, 7, 'now');
    expect(r.started.map((s) => s.text)).toEqual(['now']);
  });

  it('the global bucket holds all chats together to its messages per second', async () => {
    throttler = createThrottler({ privateChat: { burst: 3, refillMs: 1000 }, group: { burst: 3, refillMs: 1000 }, globalPerSecond: 5 });
    const r = recorder(1);
    const all = Promise.all(Array.from({ length: 8 }, (_, i) => send(throttler!, r.prev, 100 + i, `c${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.started).toHaveLength(5);
    await all;
    expect(r.started).toHaveLength(8);
    expect(r.started.slice(5).every((s) => s.at >= 950)).toBe(true);
  });

  it('chat actions and other methods never wait behind a chat’s queue', async () => {
    throttler = createThrottler({ privateChat: { burst: 1, refillMs: 10_000 }, group: { burst: 1, refillMs: 10_000 }, globalPerSecond: 30 });
    const r = recorder(1);
    await send(throttler, r.prev, 9, 'first');
    void send(throttler, r.prev, 9, 'waits');
    await send(throttler, r.prev, 9, '', 'sendChatAction');
    expect(r.started.map((s) => s.method)).toEqual(['sendMessage', 'sendChatAction']);
  });

  it('groups and private chats with the same number are separate lanes; groups have their own bucket', async () => {
    throttler = createThrottler({ privateChat: { burst: 2, refillMs: 10_000 }, group: { burst: 1, refillMs: 10_000 }, globalPerSecond: 30 });
    const r = recorder(1);
    await Promise.all([send(throttler, r.prev, 5, 'p1'), send(throttler, r.prev, 5, 'p2'), send(throttler, r.prev, -5, 'g1')]);
    void send(throttler, r.prev, -5, 'g2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // p2 follows p1 (one at a time per chat); g1 went alongside; g2 waits for the group's next token.
    expect(r.started.map((s) => s.text).sort()).toEqual(['g1', 'p1', 'p2']);
  });

  it('a refused message rejects its own caller only; the next one still goes', async () => {
    throttler = createThrottler();
    const r = recorder(1);
    const failed = send(throttler, r.prev, 11, 'fail');
    const next = send(throttler, r.prev, 11, 'after');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toMatchObject({ result: { text: 'after' } });
  });

  it('stop() sends what still waits at once instead of leaving it queued', async () => {
    throttler = createThrottler({ privateChat: { burst: 1, refillMs: 60_000 }, group: { burst: 1, refillMs: 60_000 }, globalPerSecond: 30 });
    const r = recorder(1);
    await send(throttler, r.prev, 12, 'first');
    const waiting = send(throttler, r.prev, 12, 'second');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.started).toHaveLength(1);
    await throttler.stop();
    await expect(waiting).resolves.toMatchObject({ result: { text: 'second' } });
  });
});
