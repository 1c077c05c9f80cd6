import type { TutorFrontDoor } from '../../src/commands/front-door.ts';
import type { PlatformAdapter } from '../../src/bots/adapter.ts';
import type { LoadReport, LoadRequest } from './fake-platform-driver.ts';
import { startFakePlatformProcess } from './fake-platform-process.ts';
import { takeBotWarnings, type BotWarnings } from './silent-logger.ts';
import { watchStalls, type Stalls } from './stalls.ts';

export interface AdapterLoadOptions {
  frontDoor: TutorFrontDoor;
  learners: number;
  command: string;
  /** Loads run one after the other on the same bot, after the warm-up (one command per learner). */
  runs: LoadRequest[];
}

export interface AdapterRun {
  request: LoadRequest;
  report: LoadReport;
  /** CPU time of this (the bot's) process during the load, per command sent. */
  botCpuMsPerCommand: number;
  /** What the bot logged at warn or error level during the load (nothing, normally). */
  botWarnings: BotWarnings;
  /** This (the bot's) process's stalls during the load. */
  botStalls: Stalls;
}

export type AdapterLoadResult = { runs: AdapterRun[]; note: string } | { unavailable: string };

/**
 * The platform's fake in its own process (it also times the commands), the adapter in this one: starts the
 * adapter against the fake, warms up, runs each load and measures this process's CPU during it.
 */
export async function runAdapterLoad(platform: 'telegram' | 'discord', o: AdapterLoadOptions, adapterFor: (info: Record<string, string>) => PlatformAdapter): Promise<AdapterRun[]> {
  const fake = await startFakePlatformProcess(platform);
  let adapter: PlatformAdapter | undefined;
  try {
    adapter = adapterFor(fake.info);
    await adapter.start();
    await fake.warm(o.learners, o.command);
    const runs: AdapterRun[] = [];
    for (const request of o.runs) {
      takeBotWarnings();
      const before = process.cpuUsage();
      const stalls = watchStalls();
      const report = await fake.load(request);
      const botStalls = stalls.stop();
      const cpu = process.cpuUsage(before);
      runs.push({ request, report, botCpuMsPerCommand: (cpu.user + cpu.system) / 1000 / Math.max(1, request.count), botWarnings: takeBotWarnings(), botStalls });
    }
    return runs;
  } finally {
    await adapter?.stop();
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
