// Item 3: many learners at once. 1 000 learners send /flashcards through the front door within one second;
// the fake LLM answers after 1.5 s; the LLM limiter is configured so that all are served within about 30 s.
// The core runs in a child process of its own (bench/support/many-learners-child.mjs, plain node over dist/) so that its RSS and
// event-loop delay are not mixed with the fake LLM's or with earlier scenarios'.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../src/core/paths.ts';
import { figure, type Figure, type Scenario } from '../types.ts';
import { startFakeLlmProcess } from '../support/fake-llm-process.ts';
import { UNTHROTTLED_ENV } from '../support/core.ts';
import { LAUNCH_ENV } from './startup.ts';

const LEARNERS = 1_000;
const LLM_LATENCY_MS = 1_500;
const CORE_ENV = {
  // At most 50 calls in flight: 50 / 1.5 s = 33.3 calls/s, 1 000 learners in about 30 s. The per-minute
  // reservoir (1 000) lets every learner through within the first minute, so concurrency is the binding limit.
  LLM_MAX_CONCURRENT: '50',
  LLM_CALLS_PER_MINUTE: '1000',
  // The last learner waits about 30 s in the queue: the queue timeout must be longer, or they get 'busy'.
  LLM_QUEUE_TIMEOUT_MS: '45000',
  LLM_TIMEOUT_MS: '20000',
  USER_CALLS_PER_MINUTE: '10',
  USER_DAILY_QUOTA: '200',
};
const CHILD = fileURLToPath(new URL('../support/many-learners-child.mjs', import.meta.url));
const CHILD_TIME_LIMIT_MS = 80_000;

interface ChildResult {
  learners: number;
  served: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  firstDoneMs: number;
  lastDoneMs: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  idleEventLoopDelayP99Ms: number;
  peakRssBytes: number;
  sampledPeakRssBytes: number;
  idleRssBytes: number;
  peakHeapUsedBytes: number;
  idleHeapUsedBytes: number;
  burstFailed: number;
  burstFirstError?: string;
}

function runChild(llmUrl: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // Plain node over dist/, as `npm start` runs the bot (no TypeScript loader in the measured process).
    execFileSync(process.execPath, [join(projectRoot, 'scripts', 'ensure-built.mjs')], { cwd: projectRoot, stdio: 'inherit' });
    const child = spawn(process.execPath, [CHILD], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...(process.env.BENCH_NO_LAUNCH_ENV ? {} : LAUNCH_ENV), // the launcher's MALLOC_ARENA_MAX, as npm start sets it
        BENCH_LLM_URL: llmUrl,
        BENCH_LEARNERS: String(LEARNERS),
        BENCH_CORE_ENV: JSON.stringify({ ...UNTHROTTLED_ENV, ...CORE_ENV }),
        BENCH_TIME_LIMIT_MS: String(CHILD_TIME_LIMIT_MS - 15_000),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIME_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1);
      try {
        resolve(JSON.parse(line ?? '') as ChildResult);
      } catch {
        reject(new Error(`many-learners child failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`));
      }
    });
  });
}

export const manyLearners: Scenario = {
  id: 'many-learners',
  title: 'Many learners at once',
  async run(ctx) {
    const llm = await startFakeLlmProcess();
    let r: ChildResult;
    try {
      await llm.setLatency(LLM_LATENCY_MS);
      ctx.progress(`${LEARNERS} learners × /flashcards, fake LLM latency ${LLM_LATENCY_MS} ms, LLM_MAX_CONCURRENT=${CORE_ENV.LLM_MAX_CONCURRENT}`);
      r = await runChild(llm.url);
    } finally {
      await llm.close();
    }
    const configured = Number(CORE_ENV.LLM_MAX_CONCURRENT) / (LLM_LATENCY_MS / 1000);
    // Steady state: completions between the first and the last one (the first wave needs one latency to finish).
    const measured = (r.served - 1) / ((r.lastDoneMs - r.firstDoneMs) / 1000);
    const mb = (bytes: number) => bytes / 2 ** 20;
    const setting = `LLM_MAX_CONCURRENT=${CORE_ENV.LLM_MAX_CONCURRENT}, LLM_CALLS_PER_MINUTE=${CORE_ENV.LLM_CALLS_PER_MINUTE}, LLM_QUEUE_TIMEOUT_MS=${CORE_ENV.LLM_QUEUE_TIMEOUT_MS}`;
    const figures: Figure[] = [
      figure({
        name: `many learners: LLM calls completed per second (${r.served} of ${r.learners} served in ${(r.elapsedMs / 1000).toFixed(1)} s)`,
        value: measured,
        unit: 'calls/s',
        reference: { name: `configured: ${CORE_ENV.LLM_MAX_CONCURRENT} concurrent / ${LLM_LATENCY_MS / 1000} s latency`, value: configured },
        target: 'within ±5 % of reference',
        met: Math.abs(measured / configured - 1) <= 0.05,
        note: `${setting}; measured from the first to the last completion`,
      }),
      figure({
        name: 'many learners: learners not served (errors, busy, timeouts)',
        value: r.errors,
        unit: 'learners',
        target: '= 0',
        met: r.errors === 0 && r.served === r.learners,
        ...(r.firstError ? { note: `first: ${r.firstError}` } : {}),
      }),
      figure({
        name: 'many learners: event-loop delay p99 during the run',
        value: r.eventLoopDelayP99Ms,
        unit: 'ms',
        reference: { name: 'the same process idle, core started', value: r.idleEventLoopDelayP99Ms },
        target: '≤ 20 ms',
        met: r.eventLoopDelayP99Ms <= 20,
        note: `perf_hooks monitorEventLoopDelay, resolution 10 ms, which is subtracted (Node 20 records the whole sampling interval); max ${r.eventLoopDelayMaxMs.toFixed(1)} ms`,
      }),
      figure({
        name: 'many learners: peak RSS',
        value: mb(r.peakRssBytes),
        unit: 'MB',
        reference: { name: 'the same process idle, core started', value: mb(r.idleRssBytes) },
        target: '≤ 250 MB',
        met: mb(r.peakRssBytes) <= 250,
        note: `process.resourceUsage().maxRSS (whole process life) and RSS sampled every 100 ms during the run (peak ${mb(r.sampledPeakRssBytes).toFixed(0)} MB); JS heap used: ${mb(r.idleHeapUsedBytes).toFixed(0)} MB idle, ${mb(r.peakHeapUsedBytes).toFixed(0)} MB at most; MB = 2^20 bytes${mb(r.peakRssBytes) > 250 ? `. Why over: the idle process alone is ${mb(r.idleRssBytes).toFixed(0)} MB (see Start-up: the dependencies, Prisma's WebAssembly query compiler), the load adds ${mb(r.peakRssBytes - r.idleRssBytes).toFixed(0)} MB` : ''}`,
      }),
      figure({
        name: 'many learners: first messages of 1 000 new learners issued in one tick (/help), failed',
        value: r.burstFailed,
        unit: 'learners',
        target: '= 0',
        met: r.burstFailed === 0,
        ...(r.burstFailed
          ? {
              note: `first reply: ${r.burstFirstError}. Why: Prisma batches the concurrent platformAccount.findUnique calls of one tick into one query; with the compound key that is 2 parameters per learner, and Prisma 7 assumes SQLite allows 999 bound parameters (the better-sqlite3 adapter does not report its real limit of 32 766), so from 499 lookups in one tick (measured; new and returning learners alike) the whole batch fails with P2029 and every one of those learners is told the database is unreachable`,
            }
          : {}),
      }),
    ];
    return figures;
  },
};
