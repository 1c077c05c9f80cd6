// Child process of the "many learners" scenario: the real core alone in a fresh process (so RSS and
// event-loop delay are the bot's own), run as production runs it: plain `node` over the compiled dist/
// (no TypeScript loader; hence JavaScript), 1 000 learners sending /flashcards through the front door against the
// fake LLM (another process, 1.5 s latency). They arrive as a platform delivers updates: in groups of 100
// (one Telegram getUpdates answer holds up to 100), one group every 100 ms. Afterwards, separately: 1 000
// other new learners' first messages (/help, no LLM) in one single tick. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../dist/config.js';
import { applyHeapPolicy, createCore } from '../../dist/app.js';
import { createLogger } from '../../dist/logger.js';

const msSince = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** The project's logger at level silent: the same code paths (child loggers, redaction setup), no output. */
const silentLogger = () => createLogger('silent', { write: () => {} });

const llmUrl = process.env.BENCH_LLM_URL;
const learners = Number(process.env.BENCH_LEARNERS ?? 1000);
const env = JSON.parse(process.env.BENCH_CORE_ENV ?? '{}');
const timeLimitMs = Number(process.env.BENCH_TIME_LIMIT_MS ?? 90_000);

applyHeapPolicy(); // as src/main.ts does first

// As bench/support/core-on-file.ts builds it (UNTHROTTLED_ENV comes in BENCH_CORE_ENV), on a fresh SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'tutor-bench-learners-'));
const config = loadConfig({
  ACTIVITY_JOURNAL_DIR: join(dir, 'journal'),
  DATABASE_URL: `file:${join(dir, 'bench.db')}`,
  OPENAI_BASE_URL: llmUrl,
  OPENAI_API_KEY: 'bench-key-for-the-fake-server',
  OPENAI_MODEL: 'fake-model',
  LOG_LEVEL: 'silent',
  ...env,
});
const core = await createCore(config, silentLogger());
const bench = {
  core,
  async close() {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  },
};
const frontDoor = bench.core.frontDoor;
const logger = silentLogger();

// Idle reference: the same process, core up, nothing happening.
await sleep(500);
const idleRss = process.memoryUsage.rss();
const idleHeapUsed = process.memoryUsage().heapUsed;
// Node 20's histogram records each whole sampling interval (a 10 ms timer reads ≈ 10 ms when nothing
// blocks), so the resolution is subtracted from every figure taken from it.
const RESOLUTION_MS = 10;
const lateness = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
idle.enable();
await sleep(2_000);
idle.disable();

const rssSamples = [];
let peakHeapUsed = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rssSamples.push(m.rss);
  peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
}, 100);
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
const start = process.hrtime.bigint();
const finished = [];
const errors = [];
const one = async (n) => {
  const incoming = {
    user: { platform: 'telegram', externalId: `learner-${n}`, displayName: `Learner ${n}`, locale: 'en' },
    conversation: { platform: 'telegram', chatId: `chat-${n}`, isGroup: false },
    log: logger.child({ platform: 'telegram', chatId: `chat-${n}` }),
  };
  try {
    const replies = await frontDoor.text(incoming, '/flashcards kitchen words count:4', { addressed: true });
    const text = JSON.stringify(replies ?? []);
    if (!text.includes('cuchillo')) errors.push(text.slice(0, 160));
    else finished.push(msSince(start));
  } catch (error) {
    errors.push(String(error?.message ?? error));
  }
};
const GROUP = 100;
const started = [];
for (let first = 0; first < learners; first += GROUP) {
  if (first > 0) await sleep(100);
  for (let n = first; n < Math.min(learners, first + GROUP); n++) started.push(one(n));
}
const all = Promise.all(started);
let timer;
const inTime = await Promise.race([all.then(() => true), new Promise((resolve) => (timer = setTimeout(() => resolve(false), timeLimitMs)))]);
clearTimeout(timer);
const elapsedMs = msSince(start);
delay.disable();
clearInterval(sampler);
rssSamples.push(process.memoryUsage.rss());

finished.sort((a, b) => a - b);

// One tick, 1 000 first messages: every learner lookup is issued before any has returned.
await sleep(500);
const burstErrors = [];
await Promise.all(
  Array.from({ length: 1_000 }, async (_, n) => {
    const incoming = {
      user: { platform: 'discord', externalId: `burst-${n}`, displayName: `Burst ${n}`, locale: 'en' },
      conversation: { platform: 'discord', chatId: `burst-chat-${n}`, isGroup: false },
      log: logger,
    };
    const replies = await frontDoor.text(incoming, '/help', { addressed: true });
    const text = JSON.stringify(replies ?? []);
    if (!text.includes('/flashcards')) burstErrors.push(text.slice(0, 160));
  }),
);
const result = {
  learners,
  served: finished.length,
  errors: errors.length + (inTime ? 0 : learners - finished.length - errors.length),
  firstError: errors[0] ?? (inTime ? undefined : `not finished within ${timeLimitMs} ms`),
  elapsedMs,
  firstDoneMs: finished[0] ?? Number.NaN,
  lastDoneMs: finished.at(-1) ?? Number.NaN,
  eventLoopDelayP99Ms: lateness(delay.percentile(99)),
  eventLoopDelayMaxMs: lateness(delay.max),
  idleEventLoopDelayP99Ms: lateness(idle.percentile(99)),
  peakHeapUsedBytes: peakHeapUsed,
  idleHeapUsedBytes: idleHeapUsed,
  peakRssBytes: Math.max(...rssSamples, process.resourceUsage().maxRSS * 1024),
  sampledPeakRssBytes: Math.max(...rssSamples),
  idleRssBytes: idleRss,
  burstFailed: burstErrors.length,
  burstFirstError: burstErrors[0],
};
await bench.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
