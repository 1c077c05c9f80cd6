// Reading an /import file off the event loop. JSON.parse of a 5 MB file is one uninterruptible call (a few
// hundred ms on a busy machine) during which no other learner is answered; a worker thread parses it and hands
// the items back as JSON text in small batches, which the main thread then parses one batch per turn.
import { Worker } from 'node:worker_threads';

export interface ExportFileHead {
  /** False when the file is not UTF-8 JSON at all. */
  json: boolean;
  /** The top-level "format" and "version" when they are a string or a number, else null. */
  format: string | number | null;
  version: string | number | null;
  /** Length of the top-level "items" array; -1 when there is none. */
  itemCount: number;
  /** The items as JSON text, `batchSize` per batch (none when there are more than `maxItems`). */
  batches: string[];
}

// Plain JavaScript run with `eval`: the worker loads no module of this project (nor a TypeScript loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const scalar = (v) => (typeof v === 'string' || typeof v === 'number' ? v : null);
(() => {
  let json;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(workerData.data));
  } catch {
    parentPort.postMessage({ json: false, format: null, version: null, itemCount: -1, batches: [] });
    return;
  }
  const head = json && typeof json === 'object' && !Array.isArray(json) ? json : {};
  const items = Array.isArray(head.items) ? head.items : undefined;
  const batches = [];
  if (items && items.length <= workerData.maxItems) {
    for (let i = 0; i < items.length; i += workerData.batchSize) batches.push(JSON.stringify(items.slice(i, i + workerData.batchSize)));
  }
  parentPort.postMessage({ json: true, format: scalar(head.format), version: scalar(head.version), itemCount: items ? items.length : -1, batches });
})();
`;

export function readExportFile(data: Uint8Array, options: { batchSize: number; maxItems: number }): Promise<ExportFileHead> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { data, batchSize: options.batchSize, maxItems: options.maxItems },
      // A crafted file cannot take the process's memory with it: the worker fails alone.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    worker.once('message', (head: ExportFileHead) => {
      settled = true;
      resolve(head);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the import reader stopped (exit code ${code})`));
    });
  });
}
