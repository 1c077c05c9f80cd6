// The limiter of a single process (no Redis): a semaphore of `maxConcurrent` slots and a reservoir of
// `callsPerMinute` calls, refilled to full every 60 s counted from the limiter's creation (the same fixed
// window Bottleneck's reservoir refresh had). A call that finds a slot and a unit starts at once, in the
// caller's own tick: no timer stands between it and the provider. Otherwise it waits in a FIFO queue (urgent
// calls in a queue of their own, served first) until a running call ends or the reservoir refills, at most
// `queueTimeoutMs`; then it is removed from the queue and fails with errors.llmBusy, saying how long to wait.
// Timers exist only while calls wait: one per waiting call (its queue timeout) and one for the next refill
// when the reservoir is what they wait for.
import { UserFacingError } from '../errors.ts';
import type { GlobalLimiterOptions, Limiter } from './global-limiter.ts';

const MINUTE_MS = 60_000;

interface Waiter {
  start(): void;
  fail(error: unknown): void;
  timer: NodeJS.Timeout | undefined;
  /** False once given up (timed out or dropped by stop()); the queue skips it. */
  live: boolean;
}

/** A FIFO queue that skips given-up waiters lazily (no search, no splice). */
class WaitQueue {
  private items: Waiter[] = [];
  private head = 0;
  live = 0;

  push(waiter: Waiter): void {
    this.items.push(waiter);
    this.live += 1;
  }

  /** The oldest waiter still waiting, removed from the queue. */
  shift(): Waiter | undefined {
    while (this.head < this.items.length) {
      const waiter = this.items[this.head]!;
      this.items[this.head] = undefined as unknown as Waiter; // let it be collected
      this.head += 1;
      if (this.head > 1_024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (waiter.live) {
        this.live -= 1;
        return waiter;
      }
    }
    return undefined;
  }

  /** Every waiter still waiting, removed from the queue. */
  drain(): Waiter[] {
    const waiting = this.items.slice(this.head).filter((w) => w.live);
    this.items = [];
    this.head = 0;
    this.live = 0;
    return waiting;
  }
}

export class LocalLimiter implements Limiter {
  private running = 0;
  private reservoir: number;
  private windowStart = Date.now();
  private readonly urgent = new WaitQueue();
  private readonly ordinary = new WaitQueue();
  private refillTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: Pick<GlobalLimiterOptions, 'maxConcurrent' | 'callsPerMinute' | 'queueTimeoutMs'>) {
    this.reservoir = options.callsPerMinute;
  }

  run<R>(task: () => Promise<R>, urgent = false): Promise<R> {
    if (this.stopped) return Promise.reject(new UserFacingError('errors.llmUnavailable'));
    // Nobody ahead of this call (urgent calls only have urgent ones ahead): take a slot now if there is one.
    const ahead = urgent ? this.urgent.live : this.urgent.live + this.ordinary.live;
    if (ahead === 0 && this.take()) return this.execute(task);
    return new Promise<R>((resolve, reject) => {
      const waiter: Waiter = {
        live: true,
        timer: undefined,
        start: () => {
          clearTimeout(waiter.timer);
          this.execute(task).then(resolve, reject);
        },
        fail: (error) => {
          clearTimeout(waiter.timer);
          reject(error);
        },
      };
      waiter.timer = setTimeout(() => {
        if (!waiter.live) return;
        waiter.live = false;
        (urgent ? this.urgent : this.ordinary).live -= 1;
        reject(new UserFacingError('errors.llmBusy', { seconds: this.busySeconds() }));
        this.settleRefillTimer();
      }, this.options.queueTimeoutMs);
      (urgent ? this.urgent : this.ordinary).push(waiter);
      this.settleRefillTimer();
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stats(): { queued: number; running: number } {
    return { queued: this.urgent.live + this.ordinary.live, running: this.running };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
    for (const waiter of [...this.urgent.drain(), ...this.ordinary.drain()]) {
      waiter.live = false;
      waiter.fail(new UserFacingError('errors.llmUnavailable'));
    }
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Takes a slot and a reservoir unit if both are free. */
  private take(): boolean {
    if (this.running >= this.options.maxConcurrent) return false;
    this.refill();
    if (this.reservoir <= 0) return false;
    this.running += 1;
    this.reservoir -= 1;
    return true;
  }

  /** Runs a task that holds a slot; the slot passes to the next waiter when it settles. */
  private async execute<R>(task: () => Promise<R>): Promise<R> {
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.startWaiting();
      if (this.running === 0 && this.idle.length > 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Starts as many waiting calls as the limits allow, urgent ones first. */
  private startWaiting(): void {
    while (this.urgent.live + this.ordinary.live > 0 && this.take()) {
      const waiter = this.urgent.shift() ?? this.ordinary.shift();
      if (!waiter) {
        // Cannot happen (live counts say someone waits); give the unit back rather than lose it.
        this.running -= 1;
        this.reservoir += 1;
        break;
      }
      waiter.live = false;
      waiter.start();
    }
    this.settleRefillTimer();
  }

  /** A new minute refills the reservoir to full (unused units do not carry over). */
  private refill(now = Date.now()): void {
    const elapsed = now - this.windowStart;
    if (elapsed < MINUTE_MS) return;
    this.windowStart += Math.floor(elapsed / MINUTE_MS) * MINUTE_MS;
    this.reservoir = this.options.callsPerMinute;
  }

  /** A timer for the next refill exactly while calls wait for the reservoir (not for a slot). */
  private settleRefillTimer(): void {
    const waiting = this.urgent.live + this.ordinary.live > 0;
    this.refill();
    const needed = waiting && !this.stopped && this.reservoir <= 0;
    if (!needed) {
      clearTimeout(this.refillTimer);
      this.refillTimer = undefined;
      return;
    }
    if (this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.startWaiting();
    }, this.windowStart + MINUTE_MS - Date.now());
  }

  /** A fair "try again in" for a learner whose call could not leave the queue. */
  private busySeconds(): number {
    this.refill();
    if (this.reservoir <= 0) return Math.max(1, Math.ceil((this.windowStart + MINUTE_MS - Date.now()) / 1000));
    return Math.max(1, Math.ceil(this.options.queueTimeoutMs / 1000));
  }
}
