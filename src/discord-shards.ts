// Discord sharding (DISCORD_SHARDS=<n>|auto): discord.js's ShardingManager runs one child process per shard,
// each one `src/main.ts` with the shard environment discord.js sets (SHARDING_MANAGER, SHARDS, SHARD_COUNT),
// where the Discord client picks its shard up by itself. The parent keeps the rest: Telegram, /healthz and
// /metrics; each shard runs only its Discord connection and the Discord reminders (the database claim keeps
// those to one send). Without DISCORD_SHARDS nothing of this runs: one shard, in process, as before.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { ShardingManager } from 'discord.js';
import type { PlatformAdapter } from './bots/adapter.ts';
import type { Logger } from './logger.ts';
import { projectRoot } from './core/paths.ts';

/** Whether this process is a shard spawned by the ShardingManager (not the manager itself). */
export { isShardProcess, usesShardingManager } from './shard-env.ts';

export interface ShardedDiscordOptions {
  token: string;
  totalShards: number | 'auto';
  logger: Logger;
  /** The script each shard runs (default: this build's main, src/main.ts or dist/main.js). */
  file?: string;
  /** How long one shard may take to become ready (default 60 s). */
  spawnTimeoutMs?: number;
  /** How long a shard may take to shut down gracefully before it is killed (default 20 s). */
  stopTimeoutMs?: number;
  /** Node options of the shard processes (default: tsx's loader when running from source, none from dist/). */
  execArgv?: string[];
}

/** Whether this module runs as TypeScript source (tsx, in development and tests) rather than from dist/. */
const fromSource = import.meta.url.endsWith('.ts');

/** `--import <tsx loader>` by absolute URL when running from source (works whatever the working directory); none from dist/. */
export function tsxExecArgv(): string[] {
  return fromSource ? ['--import', import.meta.resolve('tsx')] : [];
}

export function createShardedDiscord(options: ShardedDiscordOptions): PlatformAdapter {
  const log = options.logger.child({ platform: 'discord', component: 'shards' });
  let manager: ShardingManager | undefined;
  let stopping = false;
  const noRespawn = () => {
    // A terminal's Ctrl+C reaches the shards too: do not start them again while everything shuts down.
    if (manager) manager.respawn = false;
  };

  return {
    platform: 'discord',

    async start() {
      if (manager) throw new Error('discord shards already started');
      manager = new ShardingManager(options.file ?? (fromSource ? fileURLToPath(new URL('./main.ts', import.meta.url)) : join(projectRoot, 'dist', 'main.js')), {
        token: options.token,
        totalShards: options.totalShards,
        mode: 'process',
        respawn: true,
        execArgv: options.execArgv ?? tsxExecArgv(),
      });
      manager.on('shardCreate', (shard) => {
        log.info({ shard: shard.id }, 'discord: shard started');
        shard.on('death', () => {
          if (!stopping) log.error({ shard: shard.id }, 'discord: shard process exited; respawning');
        });
        shard.on('disconnect', () => log.warn({ shard: shard.id }, 'discord: shard disconnected'));
        // A failed respawn is emitted as 'error': without a listener it would end this process.
        shard.on('error', (error: Error) => log.error({ shard: shard.id, error: error.message }, 'discord: shard error'));
      });
      process.once('SIGINT', noRespawn);
      process.once('SIGTERM', noRespawn);
      await manager.spawn({ amount: options.totalShards, timeout: options.spawnTimeoutMs ?? 60_000 });
      log.info({ shards: manager.shards.size }, 'discord: all shards ready');
    },

    async stop() {
      stopping = true;
      process.off('SIGINT', noRespawn);
      process.off('SIGTERM', noRespawn);
      if (!manager) return;
      manager.respawn = false;
      const timeoutMs = options.stopTimeoutMs ?? 20_000;
      await Promise.all([...manager.shards.values()].map((shard) => stopGracefully(shard.process, () => shard.kill(), timeoutMs)));
      manager.shards.clear();
    },

    isConnected() {
      if (!manager || manager.shards.size === 0) return false;
      return [...manager.shards.values()].every((shard) => shard.ready && shard.process !== null);
    },
  };
}

/** SIGTERM (the shard's main.ts shuts down cleanly), then SIGKILL if it has not exited in time. */
async function stopGracefully(child: ChildProcess | null, kill: () => void, timeoutMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return kill();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  kill();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  if ((await Promise.race([exited, late])) === 'late') child.kill('SIGKILL');
  clearTimeout(timer);
}
