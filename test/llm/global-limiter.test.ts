// The process-wide LLM limiter without Redis (GlobalLimiter → LocalLimiter): its bounds, its queue timeout
// (the same error the Bottleneck version gave, which is kept for Redis), and that a call with a free slot is
// not delayed by any timer. The Redis (cluster) mode is covered by test/scale/redis-limits.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserFacingError } from '../../src/core/errors.ts';
import { BottleneckLimiter } from '../../src/core/llm/bottleneck-limiter.ts';
import { GlobalLimiter, type GlobalLimiterOptions, type Limiter } from '../../src/core/llm/global-limiter.ts';

const limiters: Limiter[] = [];
function limiter(options: Partial<GlobalLimiterOptions> = {}, Kind: new (o: GlobalLimiterOptions) => Limiter = GlobalLimiter): Limiter {
  const made = new Kind({ maxConcurrent: 2, callsPerMinute: 1_000, queueTimeoutMs: 60_000, ...options });
  limiters.push(made);
  return made;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(limiters.splice(0).map((l) => l.stop()));
});

/** A task that runs until released; records how many tasks run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const started: number[] = [];
  const task = (id: number) => () => {
    running += 1;
    peak = Math.max(peak, running);
    started.push(id);
    return new Promise<number>((resolve) =>
      releases.push(() => {
        running -= 1;
        resolve(id);
      }),
    );
  };
  return { task, releases, started, peak: () => peak };
}

async function rejection(promise: Promise<unknown>): Promise<UserFacingError> {
  try {
    await promise;
  } catch (error) {
    return error as UserFacingError;
  }
  throw new Error('expected a rejection');
}

/** Lets queued microtasks run, but no timer and no I/O callback. */
async function microtasks(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

describe('global limiter in one process (no Redis)', () => {
  it('runs at most maxConcurrent calls at once, the others in arrival order as slots free up', async () => {
    const l = limiter({ maxConcurrent: 2 });
    const g = gate();
    const results = [1, 2, 3, 4, 5].map((id) => l.run(g.task(id)));
    expect(g.started).toEqual([1, 2]);
    expect(l.stats()).toEqual({ queued: 3, running: 2 });

    while (g.releases.length > 0) {
      g.releases.shift()!();
      await microtasks();
    }
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(g.started).toEqual([1, 2, 3, 4, 5]);
    expect(g.peak()).toBe(2);
    expect(l.stats()).toEqual({ queued: 0, running: 0 });
  });

  it('lets through at most callsPerMinute calls per minute; a waiting call starts when the minute turns', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const l = limiter({ maxConcurrent: 10, callsPerMinute: 3, queueTimeoutMs: 120_000 });
    const started: number[] = [];
    const results = [1, 2, 3, 4, 5].map((id) => l.run(async () => (started.push(id), id)));
    await microtasks();
    expect(started).toEqual([1, 2, 3]);
    expect(l.stats()).toEqual({ queued: 2, running: 0 });

    await vi.advanceTimersByTimeAsync(59_000);
    expect(started).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives up a call that waited queueTimeoutMs with llmBusy, never runs it, and frees its place', async () => {
    const l = limiter({ maxConcurrent: 1, queueTimeoutMs: 100 });
    const g = gate();
    const first = l.run(g.task(1));
    let secondRan = false;
    const second = l.run(async () => {
      secondRan = true;
    });
    const error = await rejection(second);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmBusy');
    expect(error.params).toEqual({ seconds: 1 });
    expect(l.stats()).toEqual({ queued: 0, running: 1 });

    g.releases.shift()!();
    expect(await first).toBe(1);
    // Positive control: the next call runs (and the given-up one never did).
    expect(await l.run(async () => 'third')).toBe('third');
    expect(secondRan).toBe(false);
  });

  it('refuses with the same error as the Bottleneck version: busy for a full queue and for an empty reservoir', async () => {
    const outcomes = async (Kind: new (o: GlobalLimiterOptions) => Limiter) => {
      const full = limiter({ maxConcurrent: 1, queueTimeoutMs: 150 }, Kind);
      const g = gate();
      const running = full.run(g.task(1));
      const busy = await rejection(full.run(async () => 2));
      g.releases.shift()!();
      await running;
      const dry = limiter({ callsPerMinute: 1, queueTimeoutMs: 150 }, Kind);
      await dry.run(async () => 1);
      const empty = await rejection(dry.run(async () => 2));
      return [busy, empty].map((e) => ({ type: e.constructor.name, key: e.key, params: e.params }));
    };
    const local = await outcomes(GlobalLimiter);
    const bottleneck = await outcomes(BottleneckLimiter);
    expect(local).toEqual(bottleneck);
    expect(local[0]).toEqual({ type: 'UserFacingError', key: 'errors.llmBusy', params: { seconds: 1 } });
    expect(local[1]).toEqual({ type: 'UserFacingError', key: 'errors.llmBusy', params: { seconds: 60 } }); // the minute's refill
  });

  it('starts a call with a free slot in the caller’s own tick, and a queued one as the slot frees, with no timer between', async () => {
    const l = limiter({ maxConcurrent: 1 });
    let firstStarted = false;
    const g = gate();
    const first = l.run(() => {
      firstStarted = true;
      return g.task(1)();
    });
    expect(firstStarted).toBe(true); // synchronously, inside run()

    let secondStarted = false;
    const second = l.run(async () => {
      secondStarted = true;
      return 2;
    });
    expect(secondStarted).toBe(false);
    let timerFired = false;
    const timer = setTimeout(() => (timerFired = true), 0);
    g.releases.shift()!();
    await microtasks();
    expect(secondStarted).toBe(true);
    expect(timerFired).toBe(false); // started before even a zero-delay timer could run
    clearTimeout(timer);
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });

  it('serves urgent calls (the repair) before ordinary ones that waited longer', async () => {
    const l = limiter({ maxConcurrent: 1 });
    const g = gate();
    const calls = [l.run(g.task(1)), l.run(g.task(2)), l.run(g.task(3), true)];
    while (g.releases.length > 0) {
      g.releases.shift()!();
      await microtasks();
    }
    await Promise.all(calls);
    expect(g.started).toEqual([1, 3, 2]);
  });

  it('stop() fails waiting calls with llmUnavailable and waits for the running one', async () => {
    const l = limiter({ maxConcurrent: 1 });
    const g = gate();
    const running = l.run(g.task(1));
    const waiting = l.run(g.task(2));
    let stopped = false;
    const stopping = l.stop().then(() => (stopped = true));
    expect((await rejection(waiting)).key).toBe('errors.llmUnavailable');
    await microtasks();
    expect(stopped).toBe(false);
    g.releases.shift()!();
    expect(await running).toBe(1);
    await stopping;
    expect(stopped).toBe(true);
    expect(l.isStopped).toBe(true);
    expect((await rejection(l.run(async () => 3))).key).toBe('errors.llmUnavailable');
    expect(g.started).toEqual([1]);
  });
});
