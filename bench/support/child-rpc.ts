// Calls between the bench and a child process of its own (a platform's fake, the bot under load) over Node's IPC
// channel: the child says `{ type: 'ready', info }` once it is up, then answers each `{ id, type, ... }` with
// `{ id, result }` or `{ id, error }`; `close` is answered, then the child exits.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';

export interface ChildRpc {
  /** What the child sent with its `ready`. */
  info: Record<string, string>;
  call<T = unknown>(type: string, payload?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const CLOSE_TIMEOUT_MS = 10_000;

/** `callTimeoutMs`: a call not answered within it fails (by default a call waits until the child answers or exits). */
export async function startChild(
  name: string,
  file: string,
  args: string[],
  options: Pick<ForkOptions, 'execArgv' | 'env'> & { callTimeoutMs?: number },
): Promise<ChildRpc> {
  const { callTimeoutMs, ...forkOptions } = options;
  const child: ChildProcess = fork(file, args, { ...forkOptions, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let exited = false;
  child.once('exit', (code) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} process exited (${code})`));
    pending.clear();
  });
  const info = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} process did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} process exited (${code})`)));
    child.on('message', (message: any) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message.info ?? {});
      } else if (typeof message?.id === 'number') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      }
    });
  });
  const call = <T>(type: string, payload: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`${name} process is gone`));
      const id = nextId++;
      const timer = callTimeoutMs === undefined ? undefined : setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name} process did not answer ${type} within ${callTimeoutMs / 1000} s`));
      }, callTimeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.send({ ...payload, type, id });
    });
  let closed = false;
  return {
    info,
    call,
    async close() {
      if (closed) return;
      closed = true;
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill(), CLOSE_TIMEOUT_MS);
      await call('close').catch(() => child.kill());
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: answers the parent's calls with `handlers` (by the message's type), runs `close` on a `close`
 * call or when the parent goes away, then exits. Sends `ready` with `info`.
 */
export function serveParent(handlers: Record<string, (message: any) => unknown>, close: () => Promise<void>, info: Record<string, string> = {}): void {
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (message: { id: number; type: string }) => {
    const handler = message.type === 'close' ? close : handlers[message.type];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown call ${message.type}`);
        return handler(message);
      })
      .then(
        (result) => {
          send({ id: message.id, result });
          if (message.type === 'close') {
            process.disconnect?.();
            process.exit(0);
          }
        },
        (error: unknown) => send({ id: message.id, error: (error as Error).message ?? String(error) }),
      );
  });
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  send({ type: 'ready', info });
}
