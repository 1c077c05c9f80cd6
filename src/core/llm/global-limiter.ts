// The process-wide limiter in front of the provider: at most `maxConcurrent` calls at once and
// `callsPerMinute` calls per 60 s; a call that waits in the queue longer than `queueTimeoutMs` is given up
// with errors.llmBusy; `urgent` calls jump the queue; after stop() calls fail with errors.llmUnavailable.
// One process (no Redis): LocalLimiter, a counter and a queue with no timer between a free slot and the call.
// With `redis`: BottleneckLimiter in Bottleneck's cluster mode, which carries both limits across processes.
import type { Logger } from '../../logger.ts';
import { BottleneckLimiter } from './bottleneck-limiter.ts';
import { LocalLimiter } from './local-limiter.ts';
import type { LlmRedisOptions } from './types.ts';

export interface GlobalLimiterOptions {
  maxConcurrent: number;
  callsPerMinute: number;
  queueTimeoutMs: number;
  /** Shares the limits through Redis (Bottleneck cluster, one id per prefix). */
  redis?: LlmRedisOptions;
  /** Longest one call may run (cluster mode: its capacity is reclaimed after this plus a margin). */
  timeoutMs?: number;
  logger?: Logger;
}

export interface Limiter {
  /** Runs `task` when the limits allow. `urgent` jumps ahead of ordinary calls (the repair call). */
  run<R>(task: () => Promise<R>, urgent?: boolean): Promise<R>;
  readonly isStopped: boolean;
  stats(): { queued: number; running: number };
  /** Drops queued calls (they fail with errors.llmUnavailable) and waits for running ones to finish. */
  stop(): Promise<void>;
}

export class GlobalLimiter implements Limiter {
  private readonly inner: Limiter;

  constructor(options: GlobalLimiterOptions) {
    this.inner = options.redis ? new BottleneckLimiter(options) : new LocalLimiter(options);
  }

  run<R>(task: () => Promise<R>, urgent = false): Promise<R> {
    return this.inner.run(task, urgent);
  }

  get isStopped(): boolean {
    return this.inner.isStopped;
  }

  stats(): { queued: number; running: number } {
    return this.inner.stats();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
