// Starts one of the app's worker threads: its bundled file when the app runs from dist/ (scripts/build.mjs makes
// each worker an entry point), its TypeScript source through tsx when it runs from src/ (development, tests).
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { projectRoot } from '../paths.ts';

const runningFromBuild = !import.meta.url.endsWith('.ts');

/** `path`: the worker's module under src/ without its extension, e.g. 'core/llm/completion-worker'. */
export function startWorker(path: string, workerData: Record<string, unknown>, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  if (runningFromBuild) return new Worker(join(projectRoot, 'dist', `${path}.js`), { ...options, workerData });
  const sourceEntry = new URL(`file://${join(projectRoot, 'src', `${path}.ts`)}`).href;
  return new Worker(new URL('./source-worker-boot.mjs', import.meta.url), { ...options, workerData: { ...workerData, sourceEntry } });
}
