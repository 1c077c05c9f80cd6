// `npm run bench:adapter`: one adapter under the request-path scenario's load, for longer than `npm run bench`
// runs it and with more to show: where a p99 at 200 commands/s comes from (docs/benchmarks.md, seventh pass).
// The bot runs in its own process, as in `npm run bench` (bench/support/bot-process.ts).
//
//   ADAPTER=telegram|discord   which adapter (default telegram)
//   WARM="200,1000;200,1000"   loads run first and reported apart (rate,count;…): the JIT warms for thousands of commands
//   RUNS="50,250;200,1000"     the loads measured (default: the bench's own)
//   PROFILE=file.cpuprofile    a CPU profile of the bot's process over the measured loads (Chrome's DevTools open it)
//   ALLOC_PROFILE=file.heapprofile  where the measured loads allocate, collected objects included (a sample
//                              every 4 KB; DevTools' memory tab opens it): what makes the scavenges
//   ALLOC_SURVIVORS=1          with ALLOC_PROFILE: only the objects that outlived a scavenge (what it copies).
//                              With scavenges spaced out (BOT_NODE_ARGS=--max-semi-space-size=64: about one per
//                              0.5 s at 200/s), a command's own objects rarely outlive one: what is left is what
//                              lives long enough to be promoted
//   BOT_NODE_ARGS="--flag …"   node's own arguments for the bot's process (none by default, as `npm start`)
//   SQLITE_CHECKPOINT_MS=0      the bot's setting of that name (default: the bot's default), to compare
//   FAKE_PROF=dir               a CPU profile of each fake's process (the model's, the platform's) in dir
//
// Per load: latencies timed by the platform's fake (in its own process) and the CPU of the bot's process per
// command. Over all measured loads (bench/support/process-probe.ts): the CPU of the bot's main thread alone (from
// /proc, Linux), its event loop's utilisation and delay, the CPU of each of its threads, every garbage collection
// by kind, and the CPU of the model's fake per command.
import { discordCommandLoad } from './support/discord-load.ts';
import { startFakeLlmProcess } from './support/fake-llm-process.ts';
import type { LoadRequest } from './support/fake-platform-driver.ts';
import { describeBotWarnings } from './support/silent-logger.ts';
import { describeOldGrowth, describeStalls } from './support/stalls.ts';
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

const warm = loads(process.env.WARM ?? '');
const measured = loads(process.env.RUNS ?? '50,250;200,1000');
if (measured.length === 0) throw new Error('RUNS names no load to measure');
const llm = await startFakeLlmProcess();
try {
  await llm.setLatency(0);
  let modelCpuMs = 0;
  const outcome = await load({
    llmUrl: llm.url,
    env: process.env.SQLITE_CHECKPOINT_MS ? { SQLITE_CHECKPOINT_MS: process.env.SQLITE_CHECKPOINT_MS } : {},
    nodeArgs: process.env.BOT_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
    learners: LEARNERS,
    command: COMMAND,
    runs: [...warm, ...measured],
    probe: {
      fromRun: warm.length,
      options: {
        ...(process.env.PROFILE ? { cpuProfile: process.env.PROFILE } : {}),
        ...(process.env.ALLOC_PROFILE ? { allocationProfile: process.env.ALLOC_PROFILE, survivorsOnly: process.env.ALLOC_SURVIVORS === '1' } : {}),
      },
      started: async () => void (modelCpuMs = -(await llm.stats()).cpuMs),
      ended: async () => void (modelCpuMs += (await llm.stats()).cpuMs),
    },
  });
  for (const [index, { request, report, botCpuMsPerCommand, botWarnings, botStalls }] of outcome.runs.entries()) {
    const { latencies, failures, firstFailure } = report.result;
    console.log(
      `${index < warm.length ? 'warm-up' : 'measured'} ${adapter} at ${request.rate}/s: ${latencies.length} answered, ${failures} failed${firstFailure ? ` (${firstFailure})` : ''}; ` +
        `median ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `CPU per command: the bot ${botCpuMsPerCommand.toFixed(2)} ms, the fake ${report.fakeCpuMsPerCommand.toFixed(2)} ms. ` +
        `Stalls: the bot ${describeStalls(botStalls)}, ${describeOldGrowth(botStalls, request.count)}; the fake ${describeStalls(report.fakeStalls)}.` +
        describeBotWarnings(botWarnings) +
        (failures > 0 && report.detail ? ` ${report.detail}` : ''),
    );
  }
  const probe = outcome.probe!;
  const commands = measured.reduce((sum, r) => sum + r.count, 0);
  const perCommand = (ms: number) => (ms / commands).toFixed(2);
  console.log(
    `over ${commands} commands, in the bot's process: main thread CPU ${perCommand(probe.mainThreadMs)} ms per command, all threads ${perCommand(probe.processMs)} ms; ` +
      `event loop busy ${(probe.eventLoopUtilisation * 100).toFixed(0)} % (${perCommand(probe.eventLoopActiveMs)} ms per command); ` +
      `its delay p50 ${probe.delay.p50.toFixed(1)} ms, p99 ${probe.delay.p99.toFixed(1)} ms, max ${probe.delay.max.toFixed(1)} ms; ` +
      `the model's fake (own process) ${perCommand(modelCpuMs)} ms CPU per command`,
  );
  console.log(`  CPU by thread (ms per command): ${probe.threads.map((t) => `${t.name} ${perCommand(t.ms)}`).join(', ')}`);
  for (const gc of probe.gc) console.log(`  gc ${gc.kind}: ${gc.count}, ${gc.ms.toFixed(0)} ms in all, longest ${gc.longestMs.toFixed(1)} ms, ${gc.over5ms} over 5 ms`);
} finally {
  await llm.close();
}
