// The bot's own process under an adapter load, run as `npm start` runs the bot: plain `node` (this file is
// compiled to JavaScript by bot-process.ts; no TypeScript loader), MALLOC_ARENA_MAX=2, the core and one platform
// adapter from dist/, on a fresh SQLite file, against the fake LLM and the platform's fake (each in a process of its
// own). Alone in its process, the bot's heap, garbage collections and event loop are its own, as in production;
// in the bench's process they were not (the bench's other scenarios' heap, and the dist/ chunks loaded through
// tsx's loader with their source maps). Controlled by its parent over IPC: the loads come from the fake.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAdapter } from './bot-adapters.ts';
import { serveParent } from './child-rpc.ts';
import { coreOnDatabase } from './core-on-file.ts';
import { startProbe, type ProbeOptions, type ProbeResult } from './process-probe.ts';
import { takeBotWarnings } from './silent-logger.ts';
import { watchLoad } from './stalls.ts';

const { platform, llmUrl, fake, env } = JSON.parse(process.env.BENCH_BOT ?? '{}') as {
  platform: 'telegram' | 'discord';
  llmUrl: string;
  fake: Record<string, string>;
  env: Record<string, string>;
};

const dir = mkdtempSync(join(tmpdir(), 'tutor-bench-bot-'));
const { core, stop } = await coreOnDatabase(llmUrl, `file:${join(dir, 'bench.db')}`, env);
const { adapter, describeChat } = await benchAdapter(platform, core.frontDoor, fake);
await adapter.start();

let load: ReturnType<typeof watchLoad> | undefined;
let probe: { stop(): Promise<ProbeResult> } | undefined;
serveParent(
  {
    loadStarts: () => {
      takeBotWarnings();
      load = watchLoad();
    },
    loadEnds: () => {
      if (!load) throw new Error('no load started');
      const measured = load.stop();
      load = undefined;
      return { ...measured, warnings: takeBotWarnings() };
    },
    probeStarts: async (message: { options: ProbeOptions }) => {
      probe = await startProbe(message.options);
    },
    probeEnds: () => {
      if (!probe) throw new Error('no probe started');
      return probe.stop();
    },
    describeChats: (message: { chats: string[] }) => message.chats.map((chat) => `chat ${chat} ${describeChat(chat)}`),
  },
  async () => {
    await adapter.stop();
    await stop();
    rmSync(dir, { recursive: true, force: true });
  },
);
