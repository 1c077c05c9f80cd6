// The garbage collector's settings for the bot's process, applied first thing in src/main.ts (and by the bench,
// which runs the same code in its own process). Each one yields to the same flag given to node explicitly.
//
// - How far V8 lets the heap grow before its next full collection. By default it picks a factor of up to 4×
//   the live heap, so under load the bot's heap filled with garbage to 150–300 MB while 50–76 MB was in use, and
//   that, not live data, set its peak RSS (docs/benchmarks.md, "Many learners"). A fixed factor of 1.5 keeps
//   the heap near what is live at the cost of more frequent (concurrent) marking, measured in the same document.
// - No allocation-site pretenuring. V8 allocates straight into the old generation the objects of a site whose
//   objects survived a young collection; under the adapters' load ~45 sites of short-lived request objects
//   were pretenured, and those dead old objects kept the young ones they point to alive through the next
//   collections: ~1.6 MB survived and was promoted per scavenge instead of ~0.5 MB, scavenges took twice as long
//   and full collections came four times as often (docs/benchmarks.md, eighth pass).
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Applies the settings above, each unless the process was started with its own value for it. */
export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): void {
  // V8 takes `_` for `-` in a flag's name, and `--no-` to turn one off.
  const names = execArgv.map((arg) => arg.split('=')[0]!.replace(/_/g, '-'));
  const given = (flag: string) => names.includes(`--${flag}`) || names.includes(`--no-${flag}`);
  if (!given('heap-growing-percent')) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  if (!given('allocation-site-pretenuring')) setFlagsFromString('--no-allocation-site-pretenuring');
}
