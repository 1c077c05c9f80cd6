// What the fake platform's child process (bench/support/fake-platform-child.ts) can do for its parent: warm
// the bot up with one command per learner, then run an open-loop load and report it. The open loop runs in
// the child, next to the fake: every command is timed from the moment the fake queues or dispatches it to the
// moment the fake receives the bot's reply, with this process's clock, so the bot's process does neither the
// platform's work nor the timing.
import type { OpenLoopResult } from './open-loop.ts';
import { watchLoad, type Stalls } from './stalls.ts';

export interface LoadRequest {
  rate: number;
  count: number;
  maxMs: number;
}

export interface LoadReport {
  result: OpenLoopResult;
  /** CPU time of the fake's process (user + system) during the load, per command. */
  fakeCpuMsPerCommand: number;
  /** The fake's own stalls during the load (they delay the commands it times as much as the bot's would). */
  fakeStalls: Stalls;
  /** Calls the bot made to the platform during the load, per command, by kind (e.g. "sendMessage"). */
  callsPerCommand: Record<string, number>;
  /** Chats with a command still unanswered at the end of the load (the Telegram fake names them). */
  unansweredChats?: string[];
  /** Anything the platform's fake can say about where the time went. */
  detail?: string;
}

export interface FakePlatformDriver {
  /** What the bot needs to connect (token, API root…). */
  info: Record<string, string>;
  warm(learners: number, command: string): Promise<void>;
  load(request: LoadRequest): Promise<LoadReport>;
  close(): Promise<void>;
}

/** Counts calls by kind between start() and report(). */
export class CallCounter {
  private counts = new Map<string, number>();
  private on = false;

  start(): void {
    this.counts.clear();
    this.on = true;
  }

  add(kind: string): void {
    if (this.on) this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  report(commands: number): Record<string, number> {
    this.on = false;
    const n = Math.max(1, commands);
    return Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]).map(([kind, count]) => [kind, Math.round((count / n) * 100) / 100]));
  }
}

/** Runs `load` and reports this process's CPU per command and its stalls during it. */
export async function measured(count: number, load: () => Promise<OpenLoopResult>): Promise<{ result: OpenLoopResult; fakeCpuMsPerCommand: number; fakeStalls: Stalls }> {
  const watch = watchLoad();
  const result = await load();
  const { cpuMs, stalls } = watch.stop();
  return { result, fakeCpuMsPerCommand: cpuMs / Math.max(1, count), fakeStalls: stalls };
}
