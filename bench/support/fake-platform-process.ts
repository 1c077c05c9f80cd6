// The parent side of bench/support/fake-platform-child.ts: a platform's fake, and the load that drives it, in
// a child process.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fakeExecArgv } from './child-exec-argv.ts';
import type { LoadReport, LoadRequest } from './fake-platform-driver.ts';

export interface RemoteFakePlatform {
  info: Record<string, string>;
  /** One command per learner, each awaited; the learners are created by it. */
  warm(learners: number, command: string): Promise<void>;
  load(request: LoadRequest): Promise<LoadReport>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./fake-platform-child.ts', import.meta.url));

export async function startFakePlatformProcess(platform: 'telegram' | 'discord'): Promise<RemoteFakePlatform> {
  const child: ChildProcess = fork(CHILD, [platform], { execArgv: fakeExecArgv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let exited = false;
  child.once('exit', (code) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`fake ${platform} process exited (${code})`));
    pending.clear();
  });
  const info = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fake ${platform} process did not start within 20 s`)), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake ${platform} process exited (${code})`)));
    child.on('message', (message: any) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message.info);
      } else if (typeof message?.id === 'number') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      }
    });
  });
  const call = (message: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => {
      if (exited) return reject(new Error(`fake ${platform} process is gone`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  let closed = false;
  return {
    info,
    warm: (learners, command) => call({ type: 'warm', learners, command }),
    load: (request) => call({ type: 'load', ...request }),
    async close() {
      if (closed) return;
      closed = true;
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill(), 10_000);
      await call({ type: 'close' }).catch(() => child.kill());
      await gone;
      clearTimeout(timer);
    },
  };
}
