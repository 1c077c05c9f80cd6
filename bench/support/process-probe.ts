// What `npm run bench:adapter` (bench/adapter.ts) measures inside the bot's process over its measured loads: the CPU
// of each thread (the main one alone too, from /proc, Linux), the event loop's utilisation and delay, every garbage
// collection by kind, and on request a CPU profile and an allocation profile written to files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loopDelayMonitor } from './stalls.ts';

export interface ProbeOptions {
  /** Where to write a CPU profile of the probed span (DevTools opens it). */
  cpuProfile?: string;
  /** Where to write an allocation profile (a sample every 4 KB, collected objects included). */
  allocationProfile?: string;
  /** With allocationProfile: only the objects that outlived a scavenge. */
  survivorsOnly?: boolean;
}

export interface GcKind {
  kind: string;
  count: number;
  ms: number;
  longestMs: number;
  over5ms: number;
}

export interface ProbeResult {
  /** CPU of the main thread, and of the whole process, ms. */
  mainThreadMs: number;
  processMs: number;
  threads: Array<{ name: string; ms: number }>;
  eventLoopUtilisation: number;
  eventLoopActiveMs: number;
  /** Event-loop delay beyond the sampling interval, ms. */
  delay: { p50: number; p99: number; max: number };
  gc: GcKind[];
}

const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'minor mark-compact', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };

/**
 * CPU time of each of this process's threads so far (utime + stime of its task, in clock ticks of 10 ms), by
 * thread id, with the thread's name (Linux). The main thread's id is the pid.
 */
function threadCpuMs(): Map<string, { name: string; ms: number }> {
  const threads = new Map<string, { name: string; ms: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      threads.set(tid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(') ')), ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

export async function startProbe(options: ProbeOptions): Promise<{ stop(): Promise<ProbeResult> }> {
  const profiler = options.cpuProfile ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const allocations = options.allocationProfile ? new Session() : undefined;
  if (allocations) {
    allocations.connect();
    await allocations.post('HeapProfiler.enable');
    await allocations.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !options.survivorsOnly });
  }
  const gcByKind = new Map<number, GcKind>();
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0; // NODE_PERFORMANCE_GC_*
      const gc = gcByKind.get(kind) ?? { kind: GC_KINDS[kind] ?? String(kind), count: 0, ms: 0, longestMs: 0, over5ms: 0 };
      gc.count++;
      gc.ms += entry.duration;
      gc.longestMs = Math.max(gc.longestMs, entry.duration);
      if (entry.duration > 5) gc.over5ms++;
      gcByKind.set(kind, gc);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const { histogram: delay, ms: delayBeyondInterval } = loopDelayMonitor();
  delay.enable();
  const utilisation = performance.eventLoopUtilization();
  const threadsBefore = threadCpuMs();
  const processCpu = process.cpuUsage();

  return {
    async stop() {
      const busy = performance.eventLoopUtilization(utilisation);
      const cpu = process.cpuUsage(processCpu);
      // Node 20 names none of its threads (V8's helpers, libuv's pool, workers): told apart by id, the main one's is the pid.
      const threads = [...threadCpuMs()]
        .map(([tid, { name, ms }]) => ({ tid, name: tid === String(process.pid) ? 'main' : `${name} ${tid}`, ms: ms - (threadsBefore.get(tid)?.ms ?? 0) }))
        .filter((t) => t.ms > 0);
      delay.disable();
      gcObserver.disconnect();
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(options.cpuProfile!, JSON.stringify(profile));
        profiler.disconnect();
      }
      if (allocations) {
        // The young generation's garbage at the end has outlived no scavenge yet: one now takes it out of the profile.
        if (options.survivorsOnly) {
          setFlagsFromString('--expose-gc');
          (runInNewContext('gc') as (options: { type: 'minor' }) => void)({ type: 'minor' });
        }
        const { profile } = await allocations.post('HeapProfiler.stopSampling');
        writeFileSync(options.allocationProfile!, JSON.stringify(profile));
        allocations.disconnect();
      }
      return {
        mainThreadMs: threads.find((t) => t.tid === String(process.pid))?.ms ?? 0,
        processMs: (cpu.user + cpu.system) / 1000,
        threads: threads.sort((a, b) => b.ms - a.ms).map(({ name, ms }) => ({ name, ms })),
        eventLoopUtilisation: busy.utilization,
        eventLoopActiveMs: busy.active,
        delay: { p50: delayBeyondInterval(delay.percentile(50)), p99: delayBeyondInterval(delay.percentile(99)), max: delayBeyondInterval(delay.max) },
        gc: [...gcByKind].sort((a, b) => a[0] - b[0]).map(([, gc]) => gc),
      };
    },
  };
}
