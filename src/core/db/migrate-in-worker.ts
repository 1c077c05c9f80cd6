// Pending migrations applied in a worker thread when the bot runs from its build (dist/). Prisma's schema engine
// is a WebAssembly module whose instance cannot be released once loaded (its JavaScript glue keeps it for the
// life of the process): ~35–40 MB of RSS kept after the first start on a new database, and in the peak under load.
// A worker's instance and memory are freed when the worker ends. From source (tsx, tests) the migrations run in
// the process itself: a worker could not load TypeScript.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../paths.ts';

/** The worker's file in the build (scripts/build.mjs makes it an entry point). */
export const MIGRATE_WORKER_FILE = join(projectRoot, 'dist', 'core', 'db', 'migrate-worker.js');

export const runningFromBuild = !import.meta.url.endsWith('.ts');

export function applyMigrationsInWorker(url: string | undefined): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(MIGRATE_WORKER_FILE, { workerData: { url } });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate(); // a PostgreSQL pool or timer left open must not keep the thread alive
    };
    worker.once('message', (message: { applied?: string[]; error?: string }) =>
      settle(() => (message.error !== undefined ? reject(new Error(message.error)) : resolve(message.applied ?? []))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the migration worker stopped (exit code ${code}) before it finished`))));
  });
}
