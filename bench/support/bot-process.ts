// The parent side of bench/support/bot-process-child.ts: the bot (core + one platform adapter) in a process of its
// own, started as `npm start` starts it: plain node, MALLOC_ARENA_MAX=2. The child is TypeScript compiled to one
// JavaScript file with esbuild (the bundler `npm run build` uses) under bench/out/ (ignored by git), at the same
// depth as bench/support/ so that its paths to dist/ resolve the same; the bot's own code comes from dist/.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startChild } from './child-rpc.ts';
import type { ProbeOptions, ProbeResult } from './process-probe.ts';
import type { BotWarnings } from './silent-logger.ts';
import type { Stalls } from './stalls.ts';

const SOURCE = fileURLToPath(new URL('./bot-process-child.ts', import.meta.url));
const COMPILED = fileURLToPath(new URL('../out/bot-process-child.mjs', import.meta.url));

export interface BotLoadMeasure {
  cpuMs: number;
  stalls: Stalls;
  warnings: BotWarnings;
}

export interface BotProcess {
  loadStarts(): Promise<void>;
  loadEnds(): Promise<BotLoadMeasure>;
  probeStarts(options: ProbeOptions): Promise<void>;
  probeEnds(): Promise<ProbeResult>;
  /** "chat <id> <what the front door was handed and returned>" for each chat (Telegram). */
  describeChats(chats: string[]): Promise<string[]>;
  close(): Promise<void>;
}

let compiled: Promise<unknown> | undefined;

/** `nodeArgs`: node's own arguments for the bot's process (none by default, as `npm start` gives none). */
export async function startBotProcess(
  platform: 'telegram' | 'discord',
  llmUrl: string,
  fake: Record<string, string>,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BotProcess> {
  compiled ??= build({ entryPoints: [SOURCE], outfile: COMPILED, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  await compiled;
  const child = await startChild(`bot (${platform})`, COMPILED, [], {
    execArgv: nodeArgs, // not the bench's own (tsx's loader)
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', BENCH_BOT: JSON.stringify({ platform, llmUrl, fake, env }) },
  });
  return {
    loadStarts: () => child.call('loadStarts'),
    loadEnds: () => child.call('loadEnds'),
    probeStarts: (options) => child.call('probeStarts', { options }),
    probeEnds: () => child.call('probeEnds'),
    describeChats: (chats) => child.call('describeChats', { chats }),
    close: () => child.close(),
  };
}
