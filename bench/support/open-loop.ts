// Open-loop load: requests start on a fixed schedule whatever the earlier ones are doing (as independent
// users would send them), so a slow answer shows up as latency instead of slowing the arrival rate.
import { msSince } from './stats.ts';

export interface OpenLoopResult {
  /** Milliseconds from send to answer, one per answered request. */
  latencies: number[];
  failures: number;
  /** Achieved start rate (requests/s). */
  startRate: number;
  firstFailure?: string;
}

export async function openLoop(options: {
  ratePerSecond: number;
  count: number;
  /** Whole-run bound: requests not answered by then count as failures. */
  maxMs: number;
  /** Sends request i and resolves when its answer has arrived (rejects on a wrong answer). */
  send: (i: number) => Promise<void>;
}): Promise<OpenLoopResult> {
  const interval = 1000 / options.ratePerSecond;
  const start = process.hrtime.bigint();
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const pending: Array<Promise<void>> = [];
  const settled: boolean[] = [];
  for (let i = 0; i < options.count; i++) {
    const due = i * interval;
    const wait = due - msSince(start);
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (msSince(start) > options.maxMs) break;
    const sent = process.hrtime.bigint();
    pending.push(
      options.send(i).then(
        () => {
          settled[i] = true;
          latencies.push(msSince(sent));
        },
        (error: unknown) => {
          settled[i] = true;
          failures++;
          firstFailure ??= (error as Error).message ?? String(error);
        },
      ),
    );
  }
  const startRate = pending.length / (msSince(start) / 1000);
  const remaining = Math.max(0, options.maxMs - msSince(start));
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    Promise.all(pending).then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), remaining))),
  ]);
  clearTimeout(timer);
  if (!done) {
    // Named, so that a loss can be traced to its learner (request i is the send(i) above).
    const unanswered = pending.map((_, i) => i).filter((i) => !settled[i]);
    failures += unanswered.length;
    firstFailure ??= `${unanswered.length} request(s) unanswered after ${options.maxMs} ms (${unanswered.slice(0, 10).map((i) => `#${i}`).join(', ')}${unanswered.length > 10 ? ', …' : ''})`;
  }
  return { latencies: latencies.slice(), failures, startRate, ...(firstFailure ? { firstFailure } : {}) };
}
