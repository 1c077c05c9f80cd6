// Processes a test starts are ended when its file ends, even when the test failed before stopping them: a bot left
// running keeps polling a fake that is gone, holds its journal directory and loads the machine for later tests.
import type { ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';

const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Remembers `child` until it exits; returns it. */
export function endWithTheFile<T extends ChildProcess>(child: T): T {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
