// A worker thread started from src/ (tsx, vitest: no build): registers tsx's loader in this thread, then loads
// the TypeScript entry it was given. From dist/ the workers run their bundled .js files directly.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.sourceEntry);
