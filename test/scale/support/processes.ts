// Real child processes for the scale tests: `startCoreProcess` forks core-process.ts (a bot core driven over
// IPC); `startMainProcess` runs `dist/main.js` itself, the way `npm start` does, and collects its JSON logs.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from './core-process.ts';
import { tempJournalDir } from '../../support/journal-dir.ts';
import { endWithTheFile } from '../../support/leftover-processes.ts';

const TSX = ['--import', import.meta.resolve('tsx')];
const CORE_PROCESS = fileURLToPath(new URL('./core-process.ts', import.meta.url));
const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface CoreProcess {
  readonly pid: number;
  /** Builds a core in the child from this environment (DATABASE_URL, REDIS_URL, limits...). */
  open(env: Record<string, string>): Promise<void>;
  /** A learner's message (a command or a simulation turn) through the child's front door; the reply's text. */
  text(user: { id: string; name?: string }, text: string): Promise<string>;
  /** Stops the child's core (it may open another one). */
  close(): Promise<void>;
  /** Ends the child process. */
  exit(): Promise<void>;
}

/** The environment a child needs and nothing of the test runner's (no TEST_* variables, no .env surprises). */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export async function startCoreProcess(): Promise<CoreProcess> {
  const child = fork(CORE_PROCESS, [], { execArgv: TSX, env: { ...baseEnv(), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (r: Response) => void }>();
  let nextId = 1;
  const started = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`core process exited early (${code})`)));
  });
  child.on('message', (response: Response) => {
    pending.get(response.id)?.resolve(response);
    pending.delete(response.id);
  });
  child.on('exit', () => {
    for (const { resolve } of pending.values()) resolve({ id: -1, ok: false, error: 'core process exited' });
    pending.clear();
  });
  await started;

  const call = (request: Distribute<Request>): Promise<string | undefined> =>
    new Promise<Response>((resolve) => {
      const id = nextId++;
      pending.set(id, { resolve });
      child.send({ ...request, id } as Request);
    }).then((response) => {
      if (!response.ok) throw new Error(`core process: ${response.error}`);
      return response.text;
    });

  return {
    pid: child.pid!,
    open: async (env) => void (await call({ op: 'open', env })),
    text: async (user, text) => (await call({ op: 'text', user, text })) ?? '',
    close: async () => void (await call({ op: 'close' })),
    exit: () => exitOf(child, () => child.disconnect()),
  };
}

export interface MainProcess {
  readonly pid: number;
  /** Every JSON log line written so far. */
  readonly logs: Array<Record<string, unknown>>;
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<void>;
  /** SIGTERM (graceful shutdown) or SIGKILL (a crash); resolves when the process has exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export async function startMainProcess(env: Record<string, string>): Promise<MainProcess> {
  // Each process its own activity journal unless the test names one (a directory in use is refused).
  const journal = env.ACTIVITY_JOURNAL_DIR ? undefined : tempJournalDir('main-process-journal');
  const child = endWithTheFile(spawn(process.execPath, [MAIN], { env: { ...baseEnv(), ...(journal ? { ACTIVITY_JOURNAL_DIR: journal.dir } : {}), ...env }, stdio: ['ignore', 'ignore', 'pipe'] }));
  if (journal) child.on('exit', () => journal.remove());
  const logs: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const waitForLog: MainProcess['waitForLog'] = async (predicate, timeoutMs, what) => {
    const deadline = Date.now() + timeoutMs;
    while (!logs.some(predicate)) {
      if (child.exitCode !== null) throw new Error(`main process exited (${child.exitCode}) before ${what}: ${JSON.stringify(logs.slice(-5))}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last logs: ${JSON.stringify(logs.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    pid: child.pid!,
    logs,
    waitForLog,
    stop: (signal) => exitOf(child, () => child.kill(signal)),
  };
}

function exitOf(child: ChildProcess, end: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  end();
  return exited;
}
