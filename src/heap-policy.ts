// How far V8 lets the heap grow before its next full collection. By default it picks a factor of up to 4× the
// live heap, so under load the bot's heap filled with garbage to 150–300 MB while 50–76 MB was in use, and
// that, not live data, set its peak RSS (docs/benchmarks.md, "Many learners"). A fixed factor of 1.5 keeps the
// heap near what is live at the cost of more frequent (concurrent) marking, measured in the same document.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Applies the growth factor unless the process was started with its own `--heap-growing-percent`. */
export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
