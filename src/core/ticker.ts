import type { Logger } from '../logger.ts';

export interface Ticker {
  /** Stops ticking and waits for a tick in progress, so the database can close safely afterwards. */
  stop(): Promise<void>;
}

/**
 * Runs `work` at once and then every `intervalMs` on an unref'd timer (it never keeps the process alive).
 * Ticks never overlap: a slow tick is still working, so the next one is skipped rather than piled up.
 * A failed tick is logged as `${what} tick failed`; the next one runs as usual.
 */
export function startTicker(work: () => Promise<unknown>, options: { intervalMs: number; log: Logger; what: string }): Ticker {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = work()
      .then(
        () => undefined,
        (error: unknown) => options.log.error({ err: error }, `${options.what} tick failed`),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
