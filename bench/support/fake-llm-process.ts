// The parent side of bench/support/fake-llm-child.ts: the fake OpenAI server in a child process.
import { fileURLToPath } from 'node:url';
import { fakeExecArgv } from './child-exec-argv.ts';
import { startChild } from './child-rpc.ts';

export interface RemoteFakeLlm {
  url: string;
  setLatency(ms: number): Promise<void>;
  stats(schemaName?: string): Promise<{ requests: number; usage: { promptTokens: number; completionTokens: number }; body?: Record<string, unknown>; cpuMs: number }>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./fake-llm-child.ts', import.meta.url));

export async function startFakeLlmProcess(): Promise<RemoteFakeLlm> {
  const child = await startChild('fake LLM', CHILD, [], { execArgv: fakeExecArgv(), callTimeoutMs: 10_000 });
  return {
    url: child.info.url!,
    setLatency: (ms) => child.call('latency', { ms }),
    stats: (schemaName) => child.call('stats', schemaName ? { schemaName } : {}),
    close: () => child.close(),
  };
}
