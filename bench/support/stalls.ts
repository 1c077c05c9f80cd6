// Where a tail can come from: the longest stalls of this process's event loop during a load (a timer firing late
// because the loop was busy, collecting garbage or not scheduled on a core), its longest garbage collection, and
// how fast its old generation grew (what makes the next mark-compact come sooner). Run in each process of an
// adapter load (the bot's, the platform fake's), so a p99 can be traced to one of them.
import { monitorEventLoopDelay, PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface Stalls {
  /** Event-loop delay beyond the 1 ms sampling interval (Node 20 records the interval too), ms. */
  delayP99Ms: number;
  delayMaxMs: number;
  /** The longest single garbage collection, ms. */
  longestGcMs: number;
  /** Mark-compacts (major GCs) during the load. */
  markCompacts: number;
  /** Growth of the old generation (old, code and large-object spaces) over the load, bytes: what scavenges promoted, less what mark-compacts freed. */
  oldGenerationGrowth: number;
}

const RESOLUTION_MS = 1;

/** The event loop's delay, sampled every 1 ms; `ms()` gives a reading less that interval (Node 20 records it too). */
export function loopDelayMonitor(): { histogram: ReturnType<typeof monitorEventLoopDelay>; ms(ns: number): number } {
  return { histogram: monitorEventLoopDelay({ resolution: RESOLUTION_MS }), ms: (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS) };
}
const OLD_SPACES = new Set(['old_space', 'code_space', 'large_object_space', 'code_large_object_space']);

function oldGenerationUsed(): number {
  return v8.getHeapSpaceStatistics().reduce((sum, space) => sum + (OLD_SPACES.has(space.space_name) ? space.space_used_size : 0), 0);
}

export function watchStalls(): { stop(): Stalls } {
  const { histogram: delay, ms } = loopDelayMonitor();
  let longestGcMs = 0;
  let markCompacts = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
      longestGcMs = Math.max(longestGcMs, entry.duration);
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) markCompacts++;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const oldBefore = oldGenerationUsed();
  delay.enable();
  return {
    stop() {
      delay.disable();
      gc.disconnect();
      return { delayP99Ms: ms(delay.percentile(99)), delayMaxMs: ms(delay.max), longestGcMs, markCompacts, oldGenerationGrowth: oldGenerationUsed() - oldBefore };
    },
  };
}

export const describeStalls = (s: Stalls): string =>
  `event-loop delay p99 ${s.delayP99Ms.toFixed(1)} ms, max ${s.delayMaxMs.toFixed(0)} ms, longest GC ${s.longestGcMs.toFixed(1)} ms, ${s.markCompacts} mark-compact(s)`;

/** The old generation's growth per command, when no mark-compact freed part of it meanwhile (else unknown). */
export const describeOldGrowth = (s: Stalls, commands: number): string =>
  s.markCompacts === 0 ? `old generation +${(s.oldGenerationGrowth / 1024 / Math.max(1, commands)).toFixed(1)} KB per command` : 'old generation growth: a mark-compact ran';

/** This process's CPU time (user + system) and stalls from now to `stop()`: what each process of a load reports. */
export function watchLoad(): { stop(): { cpuMs: number; stalls: Stalls } } {
  const cpu = process.cpuUsage();
  const stalls = watchStalls();
  return {
    stop() {
      const measuredStalls = stalls.stop();
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000, stalls: measuredStalls };
    },
  };
}
