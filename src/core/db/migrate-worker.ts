// Worker thread that applies pending migrations (see migrate-in-worker.ts): the schema engine's WebAssembly
// instance and memory live and die with this thread, not with the bot.
import { parentPort, workerData } from 'node:worker_threads';
import { adapterFactoryFor } from './client.ts';
import { applyMigrations } from './migrations.ts';
import { parseDatabaseUrl } from './url.ts';

const { url } = workerData as { url: string | undefined };
try {
  const target = parseDatabaseUrl(url);
  const applied = await applyMigrations(target.provider, await adapterFactoryFor(target));
  parentPort!.postMessage({ applied });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
