import type { LoadReport, LoadRequest } from './fake-platform-driver.ts';
import { startFakePlatformProcess } from './fake-platform-process.ts';
import { startBotProcess } from './bot-process.ts';
import type { ProbeOptions, ProbeResult } from './process-probe.ts';
import type { BotWarnings } from './silent-logger.ts';
import type { Stalls } from './stalls.ts';

export interface AdapterLoadOptions {
  /** The fake LLM the bot talks to. */
  llmUrl: string;
  /** The bot's settings beyond the bench's (bench/support/core-on-file.ts). */
  env?: Record<string, string>;
  /** node's own arguments for the bot's process (V8 flags, say); none by default, as `npm start` gives none. */
  nodeArgs?: string[];
  learners: number;
  command: string;
  /** Loads run one after the other on the same bot, after the warm-up (one command per learner). */
  runs: LoadRequest[];
  /**
   * Probes the bot's process (bench/support/process-probe.ts) from the run with index `fromRun` to the last;
   * `started` and `ended` run just after the probe starts and just before it ends (to measure more over the same span).
   */
  probe?: { fromRun: number; options: ProbeOptions; started?: () => Promise<void>; ended?: () => Promise<void> };
}

export interface AdapterRun {
  request: LoadRequest;
  report: LoadReport;
  /** CPU time of the bot's process during the load, per command sent. */
  botCpuMsPerCommand: number;
  /** What the bot logged at warn or error level during the load (nothing, normally). */
  botWarnings: BotWarnings;
  /** The bot's process's stalls during the load. */
  botStalls: Stalls;
}

export interface AdapterLoadResult {
  runs: AdapterRun[];
  probe?: ProbeResult;
  note: string;
}

/**
 * The platform's fake in its own process (it also times the commands), the bot (core + adapter) in another
 * (bench/support/bot-process.ts): starts both, warms up, runs each load and measures the bot's CPU during it.
 */
export async function runAdapterLoad(platform: 'telegram' | 'discord', o: AdapterLoadOptions): Promise<Omit<AdapterLoadResult, 'note'>> {
  const fake = await startFakePlatformProcess(platform);
  try {
    const bot = await startBotProcess(platform, o.llmUrl, fake.info, o.env, o.nodeArgs);
    try {
      await fake.warm(o.learners, o.command);
      const runs: AdapterRun[] = [];
      let probe: ProbeResult | undefined;
      for (const [index, request] of o.runs.entries()) {
        if (o.probe && index === o.probe.fromRun) {
          await bot.probeStarts(o.probe.options);
          await o.probe.started?.();
        }
        await bot.loadStarts();
        const report = await fake.load(request);
        const measured = await bot.loadEnds();
        runs.push({ request, report, botCpuMsPerCommand: measured.cpuMs / Math.max(1, request.count), botWarnings: measured.warnings, botStalls: measured.stalls });
        if (o.probe && index === o.runs.length - 1) {
          await o.probe.ended?.();
          probe = await bot.probeEnds();
        }
      }
      // A load that left commands unanswered: what the bot's side saw of those chats, next to the fake's account.
      for (const run of runs) {
        const chats = run.report.unansweredChats ?? [];
        if (chats.length > 0) run.report.detail += `. The bot's front door, since the bot started (the warm-up included): ${(await bot.describeChats(chats)).join('; ')}`;
      }
      return { runs, ...(probe ? { probe } : {}) };
    } finally {
      await bot.close();
    }
  } finally {
    await fake.close();
  }
}

/** FIFO of answers awaited per chat. */
export class ReplyWaiters<K> {
  private readonly queues = new Map<K, Array<{ resolve: () => void; reject: (error: Error) => void }>>();

  wait(key: K): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ resolve, reject });
      this.queues.set(key, queue);
    });
  }

  /** The keys with a command still waiting for its answer. */
  pending(): K[] {
    return [...this.queues].filter(([, queue]) => queue.length > 0).map(([key]) => key);
  }

  settle(key: K, error?: Error): void {
    const waiter = this.queues.get(key)?.shift();
    if (!waiter) return;
    if (error) waiter.reject(error);
    else waiter.resolve();
  }
}
