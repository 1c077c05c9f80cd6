// A bot process (`src/main.ts`, as `npm start` runs it) for the platform fault tests: its JSON log lines read
// from stderr, and its /healthz.
import { createServer, type AddressInfo } from 'node:net';
import { spawnTutor, type TutorProcess } from './tutor-process.ts';

export interface BotProcess {
  child: TutorProcess;
  /** Everything the process wrote (stdout and stderr). */
  output(): string;
  /** The JSON log lines written so far. */
  logs(): Array<Record<string, unknown>>;
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>>;
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const healthPort = await freePort();
  const child = spawnTutor([], { HEALTH_PORT: String(healthPort), HEALTH_HOST: '127.0.0.1', ...env });
  const logs = () =>
    child
      .stderrText()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const process: BotProcess = {
    child,
    output: () => child.stdoutText() + child.stderrText(),
    logs,
    async waitForLog(predicate, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs().find(predicate);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`the bot process exited (${child.exitCode}) before ${what}:\n${child.stderrText().slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${child.stderrText().slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async health() {
      const response = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await child.exited;
    },
  };
  return process;
}
