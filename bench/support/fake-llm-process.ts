// The parent side of bench/support/fake-llm-child.ts: the fake OpenAI server in a child process.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fakeExecArgv } from './child-exec-argv.ts';

export interface RemoteFakeLlm {
  url: string;
  setLatency(ms: number): Promise<void>;
  stats(schemaName?: string): Promise<{ requests: number; usage: { promptTokens: number; completionTokens: number }; body?: Record<string, unknown>; cpuMs: number }>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./fake-llm-child.ts', import.meta.url));

export async function startFakeLlmProcess(): Promise<RemoteFakeLlm> {
  const child: ChildProcess = fork(CHILD, [], { execArgv: fakeExecArgv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map<number, (message: any) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake LLM process did not start within 20 s')), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake LLM process exited (${code})`)));
    child.on('message', (message: any) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (typeof message?.id === 'number') {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    });
  });
  const call = (message: Record<string, unknown>) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error('fake LLM process did not answer')), 10_000);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ ...message, id });
    });
  let closed = false;
  return {
    url,
    setLatency: async (ms) => void (await call({ type: 'latency', ms })),
    stats: (schemaName) => call({ type: 'stats', ...(schemaName ? { schemaName } : {}) }),
    async close() {
      if (closed) return;
      closed = true;
      await call({ type: 'close' }).catch(() => child.kill());
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
