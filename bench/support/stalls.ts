// Where a tail can come from: the longest stalls of this process's event loop during a load (a timer firing late
// because the loop was busy, collecting garbage or not scheduled on a core) and its longest garbage collection.
// Run in each process of an adapter load (the bot's, the platform fake's), so a p99 can be traced to one of them.
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export interface Stalls {
  /** Event-loop delay beyond the 1 ms sampling interval (Node 20 records the interval too), ms. */
  delayP99Ms: number;
  delayMaxMs: number;
  /** The longest single garbage collection, ms. */
  longestGcMs: number;
}

const RESOLUTION_MS = 1;

export function watchStalls(): { stop(): Stalls } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let longestGcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceEntry[]) longestGcMs = Math.max(longestGcMs, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  delay.enable();
  return {
    stop() {
      delay.disable();
      gc.disconnect();
      const beyond = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
      return { delayP99Ms: beyond(delay.percentile(99)), delayMaxMs: beyond(delay.max), longestGcMs };
    },
  };
}

export const describeStalls = (s: Stalls): string => `event-loop delay p99 ${s.delayP99Ms.toFixed(1)} ms, max ${s.delayMaxMs.toFixed(0)} ms, longest GC ${s.longestGcMs.toFixed(1)} ms`;
