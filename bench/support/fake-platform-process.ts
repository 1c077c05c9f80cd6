// The parent side of bench/support/fake-platform-child.ts: a platform's fake, and the load that drives it, in
// a child process.
import { fileURLToPath } from 'node:url';
import { fakeExecArgv } from './child-exec-argv.ts';
import { startChild } from './child-rpc.ts';
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
  const child = await startChild(`fake ${platform}`, CHILD, [platform], { execArgv: fakeExecArgv() });
  return {
    info: child.info,
    warm: (learners, command) => child.call('warm', { learners, command }),
    load: (request) => child.call('load', { ...request }),
    close: () => child.close(),
  };
}
