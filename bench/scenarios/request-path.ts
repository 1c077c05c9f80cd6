// Item 2: cost on the request path.
// (a) Time inside BufferedActivityLog.log() with the real repository behind it (SQLite).
// (b) Whole command overhead, from an update the adapter has to decode to the outgoing reply, with a
//     zero-latency fake LLM, at 200 commands/s (open loop), per adapter: terminal, Telegram (fake Bot API),
//     Discord (fake gateway). Reference: the fake LLM round trip alone (an openai SDK call to the fake server).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config.ts';
import { BufferedActivityLog, type ActivityEntryInput } from '../../src/core/activity-log.ts';
import { openDatabase } from '../../src/core/db/client.ts';
import { ActivityLogRepository } from '../../src/core/repositories/activity-log-repository.ts';
import type { Incoming, TutorFrontDoor } from '../../src/commands/front-door.ts';
import { GlobalLimiter } from '../../src/core/llm/global-limiter.ts';
import { BottleneckLimiter } from '../../src/core/llm/bottleneck-limiter.ts';
import { sqliteTestDatabase } from '../../test/support/databases.ts';
import { figure, type Figure, type Scenario, type ScenarioContext } from '../types.ts';
import { benchCore, type BenchCore } from '../support/core.ts';
import { builtConsoleRender } from '../support/built.ts';
import { startFakeLlmProcess, type RemoteFakeLlm } from '../support/fake-llm-process.ts';
import { openLoop, type OpenLoopResult } from '../support/open-loop.ts';
import { mean, median, msSince, nextTurn, percentile, withTimeout } from '../support/stats.ts';
import { describeBotWarnings, silentLogger } from '../support/silent-logger.ts';
import { telegramCommandLoad } from '../support/telegram-load.ts';
import { discordCommandLoad } from '../support/discord-load.ts';
import type { AdapterRun } from '../support/adapter-load.ts';
import { describeStalls } from '../support/stalls.ts';

const LOG_CALLS = 200_000;
const LOG_BURST = 100; // log() calls between event-loop turns (so batches get written meanwhile)
const RATE = 200; // commands/s
const COMMANDS = 1_000; // 5 s at 200/s
export const LEARNERS = 100;
const LOAD_TIME_LIMIT_MS = 20_000;
/** p99 command → reply at RATE through each adapter, on this 2-core machine. */
const P99_TARGET_MS = 50;
/** CPU per /flashcards through the front door, at most this many times the floor measured in the same run. */
const CPU_FLOOR_RATIO = 6;
const LOW_RATE = 50; // commands/s: the same path well below saturation, to separate its own latency from queueing
export const COMMAND = '/flashcards kitchen words count:4';

// ---- (a) log() ---------------------------------------------------------------------------------------

function entry(userId: number, i: number): ActivityEntryInput {
  return {
    userId,
    contentType: 'flashcards',
    direction: 'output',
    queryText: 'kitchen words for my job as a chef',
    targetLanguage: 'es',
    baseLanguage: 'en',
    requestMetadata: { count: 8, level: 'A2', platform: 'telegram' },
    responseMetadata: { ok: true, model: 'fake-model', promptTokens: 312, completionTokens: 420, cachedPromptTokens: 180, latencyMs: 1234, generationId: i },
  };
}

async function logCost(ctx: ScenarioContext): Promise<Figure[]> {
  ctx.progress(`log(): ${LOG_CALLS} calls, each timed`);
  const db = sqliteTestDatabase();
  const database = await openDatabase(db.url);
  try {
    const user = await database.prisma.user.create({ data: { displayName: 'Bench learner' } });
    const config = loadConfig({});
    const log = new BufferedActivityLog(new ActivityLogRepository(database.prisma, database.provider), {
      batchSize: config.ACTIVITY_LOG_BATCH_SIZE,
      maxAgeMs: config.ACTIVITY_LOG_MAX_AGE_MS,
      maxBuffered: config.ACTIVITY_LOG_MAX_BUFFER,
      logger: silentLogger(),
    });
    const inputs = Array.from({ length: LOG_BURST }, (_, i) => entry(user.id, i));

    // Timer cost: two back-to-back readings, the same way every call below is timed.
    const timer = new Float64Array(LOG_CALLS / 10);
    for (let i = 0; i < timer.length; i++) {
      const t0 = process.hrtime.bigint();
      timer[i] = Number(process.hrtime.bigint() - t0);
    }
    const warm = (n: number) => {
      for (let i = 0; i < n; i++) log.log(inputs[i % LOG_BURST]!);
    };
    for (let i = 0; i < 100; i++) {
      warm(LOG_BURST);
      await nextTurn();
    }

    const perCall = new Float64Array(LOG_CALLS);
    const perBlock: number[] = [];
    let k = 0;
    const logStart = process.hrtime.bigint();
    while (k < LOG_CALLS && msSince(logStart) < 30_000) {
      // Odd bursts: each call timed on its own. Even bursts: the whole burst timed once (mean per call),
      // which a timer's resolution and its own cost cannot distort.
      const timed = (k / LOG_BURST) % 2 === 0;
      if (timed) {
        for (let i = 0; i < LOG_BURST; i++, k++) {
          const t0 = process.hrtime.bigint();
          log.log(inputs[i]!);
          perCall[k] = Number(process.hrtime.bigint() - t0);
        }
      } else {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < LOG_BURST; i++) log.log(inputs[i]!);
        perBlock.push(Number(process.hrtime.bigint() - t0) / LOG_BURST);
        k += LOG_BURST;
      }
      await nextTurn();
    }
    const lost = await log.close();
    const stats = log.stats();
    const samples = Array.from(perCall.subarray(0, k).filter((_, i) => Math.floor(i / LOG_BURST) % 2 === 0));
    const timerMedian = median(Array.from(timer));
    const us = (ns: number) => ns / 1000;
    const med = us(median(samples));
    const p99 = us(percentile(samples, 99));
    const how = `each of ${samples.length} calls timed alone with process.hrtime.bigint() (a reading pair costs ${Math.round(timerMedian)} ns, included); ${LOG_BURST} calls per event-loop turn so batches of ${config.ACTIVITY_LOG_BATCH_SIZE} are written meanwhile to SQLite; ${stats.written} written, ${lost} lost`;
    return [
      figure({ name: 'log(): time per call, median', value: med, unit: 'µs', target: '≤ 2 µs', met: med <= 2, note: how }),
      figure({ name: 'log(): time per call, p99', value: p99, unit: 'µs', note: 'the 1 % slowest include calls that fill a batch and hand it to the writer, and GC pauses' }),
      figure({
        name: `log(): mean time per call in blocks of ${LOG_BURST} (batch timing), median block`,
        value: us(median(perBlock)),
        unit: 'µs',
        note: `${perBlock.length} blocks; mean of all blocks ${us(mean(perBlock)).toFixed(2)} µs`,
      }),
    ];
  } finally {
    await database.close();
    await db.drop();
  }
}

// ---- (b) command overhead ------------------------------------------------------------------------------

/** Runs a load and measures this process's CPU time per command during it. */
async function withCpu<T extends OpenLoopResult>(run: () => Promise<T>): Promise<T & { cpuMsPerCommand: number }> {
  const before = process.cpuUsage();
  const result = await run();
  const cpu = process.cpuUsage(before);
  const answered = Math.max(1, result.latencies.length + result.failures);
  return { ...result, cpuMsPerCommand: (cpu.user + cpu.system) / 1000 / answered };
}

function latencyFigures(name: string, result: OpenLoopResult & { cpuMsPerCommand?: number }, reference: OpenLoopResult, note: string): Figure[] {
  const med = median(result.latencies);
  const p99 = percentile(result.latencies, 99);
  const failures = result.failures > 0 ? `; ${result.failures} failed (${result.firstFailure})` : '';
  const base = `${result.latencies.length} commands at ${result.startRate.toFixed(0)}/s (open loop, ${LEARNERS} learners)${failures}. ${note}`;
  return [
    figure({
      name: `${name}: command → reply, median`,
      value: med,
      unit: 'ms',
      reference: { name: 'fake LLM round trip alone, median', value: median(reference.latencies) },
      note: base,
    }),
    figure({
      name: `${name}: command → reply, p99`,
      value: p99,
      unit: 'ms',
      reference: { name: 'fake LLM round trip alone, p99', value: percentile(reference.latencies, 99) },
      target: `≤ ${P99_TARGET_MS} ms`,
      met: p99 <= P99_TARGET_MS && result.failures === 0,
      ...(p99 <= P99_TARGET_MS && result.failures === 0 ? {} : { note: `${base}${whyCommandMissed(result.cpuMsPerCommand)}` }),
    }),
    ...(result.cpuMsPerCommand !== undefined
      ? [
          figure({
            name: `${name}: CPU time per command in this process`,
            value: result.cpuMsPerCommand,
            unit: 'ms',
            note: `one core saturates at about ${Math.round(1000 / result.cpuMsPerCommand)} commands/s; includes whatever fake runs in this process`,
          }),
        ]
      : []),
  ];
}

function whyCommandMissed(cpuMs: number | undefined): string {
  if (cpuMs === undefined) return '';
  const load = (cpuMs * RATE) / 10;
  return ` Why: ${cpuMs.toFixed(1)} ms of CPU per command × ${RATE}/s keeps the bot's main thread ${load.toFixed(0)} % busy, so commands queue behind each other.`;
}

/** Calls the bot made per command, e.g. "sendMessage 1, getUpdates 0.4". */
function callsNote(calls: Record<string, number>): string {
  return Object.entries(calls)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}

/** The figures of one adapter run: latency (timed in the fake's process), the bot's CPU per command. */
function adapterFigures(name: string, run: AdapterRun, reference: OpenLoopResult, note: string): Figure[] {
  const { result, fakeCpuMsPerCommand, callsPerCommand, detail } = run.report;
  const how = `${note}. Calls to the platform per command: ${callsNote(callsPerCommand)}${detail ? `. ${detail}` : ''}. The fake's own process: ${fakeCpuMsPerCommand.toFixed(1)} ms CPU per command. Stalls (a tail's source): the bot's ${describeStalls(run.botStalls)}; the fake's ${describeStalls(run.report.fakeStalls)}.${describeBotWarnings(run.botWarnings)}`;
  if (run.request.rate !== RATE) {
    const failures = result.failures > 0 ? `, ${result.failures} failed (${result.firstFailure})` : '';
    return [
      figure({
        name: `${name} at ${run.request.rate} commands/s: command → reply, p99`,
        value: percentile(result.latencies, 99),
        unit: 'ms',
        note: `median ${median(result.latencies).toFixed(1)} ms; ${result.latencies.length} commands${failures}; bot process ${run.botCpuMsPerCommand.toFixed(1)} ms CPU per command: the same path below saturation.${describeBotWarnings(run.botWarnings)}`,
      }),
    ];
  }
  const [med, p99, cpu] = latencyFigures(name, { ...result, cpuMsPerCommand: run.botCpuMsPerCommand }, reference, how);
  return [med!, p99!, { ...cpu!, name: `${name}: CPU time per command in the bot's process`, note: `one core saturates at about ${Math.round(1000 / run.botCpuMsPerCommand)} commands/s; the platform's fake runs in its own process` }];
}

/** The request body the bot sent to the fake, replayed through the openai SDK (streaming, as the bot does) at the same rate. */
async function llmRoundTrip(llm: RemoteFakeLlm): Promise<OpenLoopResult> {
  const body = (await llm.stats('flashcards')).body;
  if (!body) throw new Error('no flashcards request captured to replay');
  const client = new OpenAI({ baseURL: llm.url, apiKey: 'bench-key-for-the-fake-server', maxRetries: 0, timeout: 10_000 });
  const send = async () => {
    const stream = await client.chat.completions.create({
      ...(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming),
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    if (!content.includes('cuchillo')) throw new Error('unexpected reply');
  };
  for (let i = 0; i < 50; i++) await send(); // warm-up
  return openLoop({ ratePerSecond: RATE, count: COMMANDS, maxMs: LOAD_TIME_LIMIT_MS, send });
}

/**
 * The floor of what one /flashcards needs, in this process: one streamed `node:http` POST of the same request
 * to the fake LLM (keep-alive agent, the response read to its end) plus three prepared INSERTs on
 * better-sqlite3 (each its own autocommit, as the bot's writes are: the generation, the activity entry, the
 * learner's usage), on a WAL file. Run open loop at the same rate, so timers and batching cost the same.
 */
async function floorLoad(llm: RemoteFakeLlm): Promise<OpenLoopResult & { cpuMsPerCommand: number }> {
  const body = JSON.stringify({ ...((await llm.stats('flashcards')).body as object), stream: true, stream_options: { include_usage: true } });
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(`${llm.url.replace(/\/$/, '')}/chat/completions`);
  const dir = mkdtempSync(join(tmpdir(), 'tutor-bench-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE generation (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, kind TEXT NOT NULL, content TEXT NOT NULL, created_at TEXT NOT NULL)');
    db.exec('CREATE TABLE activity (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, kind TEXT NOT NULL, metadata TEXT NOT NULL, created_at TEXT NOT NULL)');
    db.exec('CREATE TABLE usage (user_id INTEGER NOT NULL, day TEXT NOT NULL, calls INTEGER NOT NULL, PRIMARY KEY (user_id, day))');
    const insertGeneration = db.prepare('INSERT INTO generation (user_id, kind, content, created_at) VALUES (?, ?, ?, ?)');
    const insertActivity = db.prepare('INSERT INTO activity (user_id, kind, metadata, created_at) VALUES (?, ?, ?, ?)');
    const countCall = db.prepare('INSERT INTO usage (user_id, day, calls) VALUES (?, ?, 1) ON CONFLICT (user_id, day) DO UPDATE SET calls = calls + 1');
    const send = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' } }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('error', reject);
          response.on('end', () => {
            if (!text.includes('cuchillo')) return reject(new Error('unexpected reply'));
            const now = new Date().toISOString();
            const userId = i % LEARNERS;
            insertGeneration.run(userId, 'flashcards', text, now);
            insertActivity.run(userId, 'flashcards', '{"ok":true}', now);
            countCall.run(userId, now.slice(0, 10));
            resolve();
          });
        });
        request.on('error', reject);
        request.end(body);
      });
    for (let i = 0; i < 50; i++) await send(i); // warm-up
    return await withCpu(() => openLoop({ ratePerSecond: RATE, count: COMMANDS, maxMs: LOAD_TIME_LIMIT_MS, send }));
  } finally {
    db.close();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The process-wide LLM limiter alone, running a no-op: its own latency per call, one call at a time, and how
 * many calls/s it lets through when 2 000 wait at once. The one a single process uses (GlobalLimiter without
 * Redis: LocalLimiter) next to Bottleneck in the same run (which it replaced there; kept for Redis).
 */
async function limiterCost(limiter: { run<R>(task: () => Promise<R>): Promise<R>; stop(): Promise<void> }) {
  try {
    const noop = async () => 1;
    for (let i = 0; i < 20; i++) await limiter.run(noop);
    const sequential: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t0 = process.hrtime.bigint();
      await withTimeout(noop(), 10_000, 'no limiter');
      bare.push(msSince(t0));
      t0 = process.hrtime.bigint();
      await withTimeout(limiter.run(noop), 10_000, 'limiter');
      sequential.push(msSince(t0));
    }
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    await withTimeout(Promise.all(Array.from({ length: 2_000 }, () => limiter.run(noop))), 30_000, 'limiter');
    const seconds = msSince(t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // Added latency: the call through the limiter minus the same no-op awaited directly (the timing itself).
    return { added: Math.max(0, median(sequential) - median(bare)), rate: 2_000 / seconds, busy: (cpu.user + cpu.system) / 1000 / (seconds * 1000) };
  } finally {
    await limiter.stop();
  }
}

async function limiterAlone(): Promise<Figure[]> {
  const options = { maxConcurrent: 200, callsPerMinute: 100_000, queueTimeoutMs: 60_000 };
  const local = await limiterCost(new GlobalLimiter(options));
  const bottleneck = await limiterCost(new BottleneckLimiter(options));
  const ms = (x: number) => `${x < 0.01 ? x.toFixed(4) : x.toFixed(2)} ms`;
  return [
    figure({
      name: 'LLM limiter alone (GlobalLimiter, one process): added latency of a no-op call, median',
      value: local.added,
      unit: 'ms',
      target: '≤ 0.1 ms',
      met: local.added <= 0.1,
      note: `semaphore + per-minute reservoir, no timer between a free slot and the call (src/core/llm/local-limiter.ts); the same through Bottleneck (still used with REDIS_URL) in this run: ${ms(bottleneck.added)}, which yields to the event loop with setTimeout(0) in each of its datastore steps`,
    }),
    figure({
      name: 'LLM limiter alone: no-op calls let through with 2 000 waiting',
      value: local.rate,
      unit: 'calls/s',
      reference: { name: 'Bottleneck, same run', value: bottleneck.rate },
      note: `CPU busy ${(local.busy * 100).toFixed(0)} % of that time (Bottleneck: ${(bottleneck.busy * 100).toFixed(0)} %, its limit being its timer hops, not CPU)`,
    }),
  ];
}

/**
 * What the terminal adapter does for one line (src/bots/console/adapter.ts: front door → render → sent()),
 * for many learners at once, each in their own conversation. (The terminal adapter itself is one learner in
 * one conversation, reading one line at a time; 200 lines/s through it would measure its queue, not its cost.)
 */
async function frontDoorLoad(
  frontDoor: TutorFrontDoor,
  rate = RATE,
  count = COMMANDS,
  warm = true,
): Promise<OpenLoopResult & { cpuMsPerCommand: number }> {
  const logger = silentLogger();
  // The renderer as production runs it (dist/), like the front door (bench/support/built.ts).
  const { renderReply } = await builtConsoleRender();
  let messageCounter = 0;
  const learners: Incoming[] = Array.from({ length: LEARNERS }, (_, n) => ({
    user: { platform: 'console', externalId: `learner${n}`, displayName: `Learner ${n}`, locale: 'en' },
    conversation: { platform: 'console', chatId: `terminal-${n}`, isGroup: false },
    log: logger,
  }));
  const say = async (i: number) => {
    const base = learners[i % LEARNERS]!;
    const incoming: Incoming = { ...base, log: logger.child({ platform: 'console', chatId: base.conversation.chatId, line: i }) };
    const replies = await frontDoor.text(incoming, COMMAND, { addressed: true });
    if (!replies) throw new Error('no reply');
    const t = await frontDoor.translator(incoming);
    let text = '';
    for (const reply of replies) {
      text += renderReply(t, reply).text;
      await frontDoor.sent({ platform: 'console', chatId: base.conversation.chatId, messageId: String(++messageCounter) }, reply);
    }
    if (!text.includes('cuchillo')) throw new Error(`unexpected reply: ${text.slice(0, 120)}`);
  };
  if (warm) for (let n = 0; n < LEARNERS; n++) await withTimeout(say(n), 10_000, 'front door warm-up'); // creates every learner
  // CPU from here on, as for the floor (whose warm-up is not counted either): the warm-up creates the 100
  // learners one at a time and compiles every function on the path for the first time.
  return withCpu(() => openLoop({ ratePerSecond: rate, count, maxMs: LOAD_TIME_LIMIT_MS, send: say }));
}

async function commandOverhead(ctx: ScenarioContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const llm = await startFakeLlmProcess();
  let bench: BenchCore | undefined;
  try {
    await llm.setLatency(0);
    bench = await benchCore(llm.url);
    ctx.progress(`front door: ${COMMANDS} × ${COMMAND} at ${RATE}/s`);
    const terminal = await frontDoorLoad(bench.core.frontDoor);
    ctx.progress(`reference: the fake LLM round trip alone at ${RATE}/s`);
    const reference = await llmRoundTrip(llm);
    figures.push(...latencyFigures('front door + terminal rendering', terminal, reference, 'what the terminal adapter does per line (front door, renderReply, sent()), one conversation per learner; fake LLM in its own process'));
    ctx.progress(`floor: node:http streamed round trip + three prepared SQLite inserts at ${RATE}/s`);
    const floor = await floorLoad(llm);
    const cpuRatio = terminal.cpuMsPerCommand / floor.cpuMsPerCommand;
    figures.push(
      figure({
        name: 'front door + terminal rendering: CPU per /flashcards vs the floor',
        value: terminal.cpuMsPerCommand,
        unit: 'ms',
        reference: { name: 'floor: one streamed node:http round trip to the fake LLM + three prepared better-sqlite3 INSERTs', value: floor.cpuMsPerCommand },
        target: `≤ ${CPU_FLOOR_RATIO}× reference`,
        met: cpuRatio <= CPU_FLOOR_RATIO,
        note: `CPU of this process (user + system) per command, both at ${RATE}/s open loop in the same run (the floor's p99: ${percentile(floor.latencies, 99).toFixed(1)} ms${floor.failures ? `, ${floor.failures} failed` : ''})${cpuRatio <= CPU_FLOOR_RATIO ? '' : '. Why missed: see "The lean runtime" in docs/benchmarks.md (the Prisma client runtime and the statements per command, the openai SDK, GC)'}`,
      }),
    );
    ctx.progress(`front door at ${LOW_RATE}/s`);
    const low = await frontDoorLoad(bench.core.frontDoor, LOW_RATE, LOW_RATE * 5, false);
    figures.push(
      figure({
        name: `front door + terminal rendering at ${LOW_RATE} commands/s: command → reply, p99`,
        value: percentile(low.latencies, 99),
        unit: 'ms',
        note: `median ${median(low.latencies).toFixed(1)} ms; ${low.latencies.length} commands${low.failures ? `, ${low.failures} failed` : ''}: the same path below saturation`,
      }),
    );

    for (const [name, load] of [
      ['Telegram adapter', telegramCommandLoad],
      ['Discord adapter', discordCommandLoad],
    ] as const) {
      ctx.progress(`${name}: ${COMMANDS} × ${COMMAND} at ${RATE}/s to warm up, ${LOW_RATE * 5} at ${LOW_RATE}/s, then ${COMMANDS} at ${RATE}/s (the bot and the platform's fake each in its own process)`);
      const outcome = await load({
        llmUrl: llm.url,
        learners: LEARNERS,
        command: COMMAND,
        runs: [
          // The bot's process starts cold, where a bot in production has run for hours: its JIT warms up first.
          { rate: RATE, count: COMMANDS, maxMs: LOAD_TIME_LIMIT_MS },
          { rate: LOW_RATE, count: LOW_RATE * 5, maxMs: LOAD_TIME_LIMIT_MS },
          { rate: RATE, count: COMMANDS, maxMs: LOAD_TIME_LIMIT_MS },
        ],
      });
      const [warm, low, high] = outcome.runs as [AdapterRun, AdapterRun, AdapterRun];
      const note = `${outcome.note}; measured after a warm-up of ${COMMANDS} commands at ${RATE}/s in the bot's fresh process (p99 ${percentile(warm.report.result.latencies, 99).toFixed(1)} ms, ${warm.report.result.failures} failed)`;
      figures.push(...adapterFigures(name, high, reference, note), ...adapterFigures(name, low, reference, note));
    }
    ctx.progress('the LLM limiter alone');
    figures.push(...(await limiterAlone()));
  } finally {
    await bench?.close();
    await llm.close();
  }
  return figures;
}

export const requestPath: Scenario = {
  id: 'request-path',
  title: 'Cost on the request path',
  async run(ctx) {
    return [...(await logCost(ctx)), ...(await commandOverhead(ctx))];
  },
};

