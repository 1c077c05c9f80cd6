// `npm run bench:adapter`: one adapter under the request-path scenario's load, for longer than `npm run bench`
// runs it and with more to show: where a p99 at 200 commands/s comes from (docs/benchmarks.md, seventh pass).
//
//   ADAPTER=telegram|discord   which adapter (default telegram)
//   WARM="200,1000;200,1000"   loads run first and reported apart (rate,count;…): the JIT warms for thousands of commands
//   RUNS="50,250;200,1000"     the loads measured (default: the bench's own)
//   PROFILE=file.cpuprofile    a CPU profile of the measured loads (open it in Chrome's DevTools)
//   ALLOC_PROFILE=file.heapprofile  where the measured loads allocate, collected objects included (a sample
//                              every 4 KB; DevTools' memory tab opens it): what makes the scavenges
//   ALLOC_SURVIVORS=1          with ALLOC_PROFILE: only the objects that outlived a scavenge (what it copies)
//   SQLITE_CHECKPOINT_MS=0      the bot's setting of that name (default: the bot's default), to compare
//   FAKE_PROF=dir               a CPU profile of each fake's process (the model's, the platform's) in dir
//
// Per measured load: latencies timed by the platform's fake (in its own process) and the CPU of this process per
// command. Over all measured loads: the CPU of the main thread alone (from /proc, Linux), its event loop's
// utilisation and delay, the CPU of each of its threads, every garbage collection by kind, and the CPU of the
// model's fake per command.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { benchCore } from './support/core.ts';
import { discordCommandLoad } from './support/discord-load.ts';
import { startFakeLlmProcess } from './support/fake-llm-process.ts';
import type { LoadRequest } from './support/fake-platform-driver.ts';
import { describeBotWarnings } from './support/silent-logger.ts';
import { describeOldGrowth, describeStalls, loopDelayMonitor } from './support/stalls.ts';
import { median, percentile } from './support/stats.ts';
import { telegramCommandLoad } from './support/telegram-load.ts';
import { COMMAND, LEARNERS } from './scenarios/request-path.ts';

const adapter = process.env.ADAPTER === 'discord' ? 'discord' : 'telegram';
const load = adapter === 'discord' ? discordCommandLoad : telegramCommandLoad;

function loads(spec: string): LoadRequest[] {
  return spec
    .split(';')
    .filter(Boolean)
    .map((part) => {
      const [rate, count] = part.split(',').map(Number);
      if (!rate || !count) throw new Error(`not "rate,count": ${part}`);
      return { rate, count, maxMs: 30_000 };
    });
}

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

async function run(label: string, requests: LoadRequest[], frontDoor: Parameters<typeof load>[0]['frontDoor']): Promise<number> {
  const outcome = await load({ frontDoor, learners: LEARNERS, command: COMMAND, runs: requests });
  if ('unavailable' in outcome) throw new Error(outcome.unavailable);
  for (const { request, report, botCpuMsPerCommand, botWarnings, botStalls } of outcome.runs) {
    const { latencies, failures, firstFailure } = report.result;
    console.log(
      `${label} ${adapter} at ${request.rate}/s: ${latencies.length} answered, ${failures} failed${firstFailure ? ` (${firstFailure})` : ''}; ` +
        `median ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `CPU per command: this process ${botCpuMsPerCommand.toFixed(2)} ms, the fake ${report.fakeCpuMsPerCommand.toFixed(2)} ms. ` +
        `Stalls: this process ${describeStalls(botStalls)}, ${describeOldGrowth(botStalls, request.count)}; the fake ${describeStalls(report.fakeStalls)}.` +
        describeBotWarnings(botWarnings) +
        (failures > 0 && report.detail ? ` ${report.detail}` : ''),
    );
  }
  return LEARNERS + requests.reduce((sum, r) => sum + r.count, 0); // the warm-up's one command per learner too
}

const llm = await startFakeLlmProcess();
await llm.setLatency(0);
const bench = await benchCore(llm.url, process.env.SQLITE_CHECKPOINT_MS ? { SQLITE_CHECKPOINT_MS: process.env.SQLITE_CHECKPOINT_MS } : {});
try {
  if (process.env.WARM) await run('warm-up', loads(process.env.WARM), bench.core.frontDoor);

  const profiler = process.env.PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const allocations = process.env.ALLOC_PROFILE ? new Session() : undefined;
  if (allocations) {
    allocations.connect();
    await allocations.post('HeapProfiler.enable');
    await allocations.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.ALLOC_SURVIVORS !== '1' });
  }
  const gcByKind = new Map<number, { count: number; ms: number; longest: number; over5ms: number }>();
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0; // NODE_PERFORMANCE_GC_*
      const gc = gcByKind.get(kind) ?? { count: 0, ms: 0, longest: 0, over5ms: 0 };
      gc.count++;
      gc.ms += entry.duration;
      gc.longest = Math.max(gc.longest, entry.duration);
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
  const modelCpu = (await llm.stats()).cpuMs;

  const commands = await run('measured', loads(process.env.RUNS ?? '50,250;200,1000'), bench.core.frontDoor);

  const modelCpuMs = (await llm.stats()).cpuMs - modelCpu;
  const busy = performance.eventLoopUtilization(utilisation);
  const cpu = process.cpuUsage(processCpu);
  // Node 20 names none of its threads (V8's helpers, libuv's pool, workers): told apart by id, the main one's is the pid.
  const threads = [...threadCpuMs()].map(([tid, { name, ms }]) => ({ tid, name, ms: ms - (threadsBefore.get(tid)?.ms ?? 0) })).filter((t) => t.ms > 0);
  delay.disable();
  gcObserver.disconnect();
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(process.env.PROFILE!, JSON.stringify(profile));
  }
  if (allocations) {
    const { profile } = await allocations.post('HeapProfiler.stopSampling');
    writeFileSync(process.env.ALLOC_PROFILE!, JSON.stringify(profile));
  }
  const mainThread = threads.find((t) => t.tid === String(process.pid))?.ms ?? 0;
  const perCommand = (ms: number) => (ms / commands).toFixed(2);
  const delayMs = (ns: number) => delayBeyondInterval(ns).toFixed(1);
  console.log(
    `over ${commands} commands: main thread CPU ${perCommand(mainThread)} ms per command, all threads ${perCommand((cpu.user + cpu.system) / 1000)} ms; ` +
      `event loop busy ${(busy.utilization * 100).toFixed(0)} % (${perCommand(busy.active)} ms per command); ` +
      `its delay p50 ${delayMs(delay.percentile(50))} ms, p99 ${delayMs(delay.percentile(99))} ms, max ${delayMs(delay.max)} ms; ` +
      `the model's fake (own process) ${perCommand(modelCpuMs)} ms CPU per command`,
  );
  console.log(`  CPU by thread (ms per command): ${threads.sort((a, b) => b.ms - a.ms).map((t) => `${t.tid === String(process.pid) ? 'main' : `${t.name} ${t.tid}`} ${perCommand(t.ms)}`).join(', ')}`);
  const kinds: Record<number, string> = { 1: 'scavenge', 2: 'minor mark-compact', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };
  for (const [kind, gc] of [...gcByKind].sort((a, b) => a[0] - b[0])) {
    console.log(`  gc ${kinds[kind] ?? kind}: ${gc.count}, ${gc.ms.toFixed(0)} ms in all, longest ${gc.longest.toFixed(1)} ms, ${gc.over5ms} over 5 ms`);
  }
} finally {
  await bench.close();
  await llm.close();
}
