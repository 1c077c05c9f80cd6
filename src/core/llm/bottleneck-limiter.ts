// The limiter over Bottleneck, used when the processes share their limits through Redis (REDIS_URL); a single
// process uses the lighter LocalLimiter (local-limiter.ts) instead, see global-limiter.ts.
// At most `maxConcurrent` calls at once and `callsPerMinute` calls per 60 s (a Bottleneck reservoir). A call
// that waits in the queue longer than `queueTimeoutMs` is given up with errors.llmBusy. Bottleneck cannot
// remove a queued job, so a given-up job stays queued and, when its turn comes, returns at once without
// calling the provider and gives its reservoir unit back.
// With `redis`, the limiter is a Bottleneck cluster: every process with the same Redis and prefix shares one
// concurrency count and one reservoir. A Redis failure refuses the call with errors.llmBusy (never a hang:
// the queue timeout still applies), and each job carries an expiration so the capacity of a call whose
// process died (or whose release was lost in an outage) comes back.
import { createRequire } from 'node:module';
import type Bottleneck from 'bottleneck';
import { UserFacingError } from '../errors.ts';
import type { GlobalLimiterOptions, Limiter } from './global-limiter.ts';

/** Loaded on first use: a process without Redis never needs Bottleneck. */
const loadBottleneck = (): typeof Bottleneck => createRequire(import.meta.url)('bottleneck') as typeof Bottleneck;

const MINUTE_MS = 60_000;
/** Redis keys of an idle cluster limiter expire after this (a later call sets them up again). */
const CLUSTER_KEY_TTL_MS = 3_600_000;

export class BottleneckLimiter implements Limiter {
  private readonly limiter: Bottleneck;
  private readonly createdAt = Date.now();
  private readonly jobOptions: Bottleneck.JobOptions;
  private abandoned = 0;
  private stopped = false;
  private lastWarning = 0;

  constructor(private readonly options: GlobalLimiterOptions) {
    const limits = {
      maxConcurrent: options.maxConcurrent,
      reservoirRefreshAmount: options.callsPerMinute,
      reservoirRefreshInterval: MINUTE_MS,
    };
    const cluster = options.redis
      ? {
          id: `${options.redis.prefix}llm-global`,
          datastore: 'ioredis' as const,
          clearDatastore: false,
          connection: options.redis.connection,
          timeout: CLUSTER_KEY_TTL_MS,
        }
      : {};
    const BottleneckClass = loadBottleneck();
    this.limiter = new BottleneckClass({ ...limits, reservoir: options.callsPerMinute, ...cluster });
    // Bottleneck emits 'error' for its own failures (in a cluster: Redis errors in heartbeats and releases).
    this.limiter.on('error', (error: unknown) => this.warn(error));
    this.jobOptions = options.redis ? { expiration: (options.timeoutMs ?? MINUTE_MS) + 30_000 } : {};
    if (options.redis) {
      // The first process to start wrote the cluster's settings; a changed configuration updates them (the
      // current reservoir is left alone, so a restart never hands out a fresh minute's worth of calls).
      // (At run time updateSettings returns a promise; bottleneck.d.ts says otherwise.)
      Promise.resolve(this.limiter.updateSettings(limits) as unknown).catch((error: unknown) => this.warn(error));
    }
  }

  /**
   * Runs `task` when the limiter allows. `urgent` jumps ahead of ordinary calls (used for the repair call,
   * whose learner has already waited once).
   */
  run<R>(task: () => Promise<R>, urgent = false): Promise<R> {
    if (this.stopped) return Promise.reject(new UserFacingError('errors.llmUnavailable'));
    return new Promise<R>((resolve, reject) => {
      let state: 'queued' | 'running' | 'abandoned' = 'queued';
      const timer = setTimeout(() => {
        if (state !== 'queued') return;
        state = 'abandoned';
        this.abandoned += 1;
        void this.busySeconds().then(
          (seconds) => reject(new UserFacingError('errors.llmBusy', { seconds })),
          () => reject(new UserFacingError('errors.llmBusy', { seconds: 30 })),
        );
      }, this.options.queueTimeoutMs);

      this.limiter
        .schedule({ ...this.jobOptions, priority: urgent ? 0 : 5 }, async () => {
          if (state === 'abandoned') {
            this.abandoned -= 1;
            await this.limiter.incrementReservoir(1).catch((error: unknown) => this.warn(error));
            return;
          }
          state = 'running';
          clearTimeout(timer);
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          }
        })
        .catch((error: unknown) => {
          // Dropped by stop() while still queued, or (cluster) Redis refused to queue it.
          clearTimeout(timer);
          if (state === 'abandoned') this.abandoned -= 1; // given up by the timer; it will never run now
          if (state !== 'queued') return;
          state = 'abandoned';
          if (this.stopped) return reject(new UserFacingError('errors.llmUnavailable'));
          this.warn(error);
          reject(new UserFacingError('errors.llmBusy', { seconds: Math.max(1, Math.ceil(this.options.queueTimeoutMs / 1000)) }));
        });
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stats(): { queued: number; running: number } {
    const counts = this.limiter.counts();
    return {
      queued: Math.max(0, counts.RECEIVED + counts.QUEUED - this.abandoned),
      running: counts.RUNNING + counts.EXECUTING,
    };
  }

  /**
   * Drops queued calls (they fail with errors.llmUnavailable) and waits for running ones to finish. Bounded:
   * in a cluster, a job stuck waiting for an unreachable Redis cannot hold the shutdown.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const running = this.stats().running > 0;
    const stopped = this.limiter.stop({ dropWaitingJobs: true }).catch((error: unknown) => this.warn(error));
    await (this.options.redis ? boundedBy(stopped, running ? (this.options.timeoutMs ?? MINUTE_MS) + 5_000 : 5_000) : stopped);
    // In a cluster the connection is shared and its owner closes it (which also ends this limiter's heartbeat).
    // Bottleneck's disconnect() would only unsubscribe, without handling a failure: an unhandled rejection
    // when Redis is down.
    if (!this.options.redis) await this.limiter.disconnect();
  }

  /** Cluster errors (Redis) are logged at most every 30 s; the calls they affect are refused anyway. */
  private warn(error: unknown): void {
    const now = Date.now();
    if (!this.options.logger || now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    this.options.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'llm limiter: shared state unavailable');
  }

  /** A fair "try again in" for a learner whose call could not leave the queue. */
  private async busySeconds(): Promise<number> {
    const reservoir = await this.limiter.currentReservoir();
    if (reservoir !== null && reservoir <= 0) {
      const sinceRefresh = (Date.now() - this.createdAt) % MINUTE_MS;
      return Math.max(1, Math.ceil((MINUTE_MS - sinceRefresh) / 1000));
    }
    return Math.max(1, Math.ceil(this.options.queueTimeoutMs / 1000));
  }
}

/** Waits for `promise`, at most `ms`. */
function boundedBy(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
