// SQLite's WAL checkpoints in a worker thread, off the event loop. By default SQLite checkpoints inside the
// commit that takes the WAL past 1000 pages: that commit copies the WAL's pages into the database file and
// fsyncs both, on the thread that committed. better-sqlite3 is synchronous, so every learner waits meanwhile:
// at 200 commands/s the longest writes held the event loop for 7–13 ms, several times in 10 s; with this worker
// they took ~5 ms at most (docs/benchmarks.md, eleventh pass).
// Here the bot's own connection has automatic checkpoints off (sqlite-pragmas.ts) and a worker with its own
// connection to the same file runs a PASSIVE checkpoint every `intervalMs`: it copies what no reader still
// needs and never blocks the writer, and the writer starts the WAL over at its next commit after a complete one.
// Durability is unchanged (the worker's connection also syncs at synchronous=NORMAL). If the worker cannot
// start or dies, `onFailure` gives the checkpoints back to SQLite on the bot's connection.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** The SQLite database file (its `-wal` file sits beside it). */
  file: string;
  intervalMs: number;
  /** The worker failed to start or stopped on its own: checkpoints must go back to the bot's connection. */
  onFailure(error: Error): void;
}

export interface WalCheckpointer {
  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void>;
  /** The last checkpoint's outcome (frames in the WAL, frames copied to the database), once one ran. */
  lastCheckpoint(): { log: number; checkpointed: number } | undefined;
}

// Plain CommonJS run with `eval`: the same from src/ (tsx, tests) and from dist/, no file of its own to build.
// better-sqlite3 is required by the path the main thread resolved, wherever the process was started from.
const WORKER_SOURCE = `
const { existsSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
// The file may not exist yet (a new database before its first connection): tried again at the next tick.
const opened = () => {
  if (db) return true;
  if (!existsSync(workerData.file)) return false;
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('synchronous = NORMAL');
  return true;
};
const checkpoint = () => {
  if (!opened()) return;
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ type: 'checkpoint', log: result.log, checkpointed: result.checkpointed });
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    checkpoint();
  } finally {
    db?.close();
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  }
});
`;

export function startWalCheckpointer(options: WalCheckpointerOptions): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: options.file, intervalMs: options.intervalMs } });
  worker.unref(); // a timer in a worker must not keep the process alive
  let last: { log: number; checkpointed: number } | undefined;
  let stopping = false;
  let failed = false;
  const fail = (error: Error) => {
    if (stopping || failed) return;
    failed = true;
    options.onFailure(error);
  };
  worker.on('message', (message: { type: string; log?: number; checkpointed?: number }) => {
    if (message.type === 'checkpoint') last = { log: message.log ?? 0, checkpointed: message.checkpointed ?? 0 };
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the WAL checkpoint worker stopped (exit code ${code})`)));

  return {
    lastCheckpoint: () => last,
    async stop() {
      if (stopping) return;
      stopping = true;
      if (failed) return;
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (message: { type: string }) => message.type === 'stopped' && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      // The last checkpoint is a courtesy (SQLite checkpoints when its last connection closes): never wait long.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
