// DISCORD_SHARDS: its parsing, the default (unset: one shard inside this process, no ShardingManager), and
// the ShardingManager path for real with one shard against the fake Discord (a child process running
// src/main.ts, ready over discord.js's IPC, stopped gracefully). Real multi-shard gateways need Discord.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { platformAdapters } from '../../src/platforms.ts';
import { createShardedDiscord, isShardProcess, tsxExecArgv, usesShardingManager } from '../../src/discord-shards.ts';
import { captureLogger } from '../support/core.ts';
import { sqliteTestDatabase } from '../support/databases.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { createStubFrontDoor } from '../discord/helpers/stub-front-door.ts';

const MANAGER_ENV = ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN', 'DISCORD_API_BASE_URL', 'DATABASE_URL', 'LOG_LEVEL'];
const savedEnv = Object.fromEntries(MANAGER_ENV.map((key) => [key, process.env[key]]));
afterEach(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('DISCORD_SHARDS', () => {
  it('parses a number of shards or auto, unset by default, and names the variable when wrong', () => {
    const parse = (value: string | undefined) => loadConfig({ DISCORD_TOKEN: 'token', ...(value === undefined ? {} : { DISCORD_SHARDS: value }) }).DISCORD_SHARDS;
    expect(parse(undefined)).toBeUndefined();
    expect(parse('')).toBeUndefined();
    expect(parse('auto')).toBe('auto');
    expect(parse('1')).toBe(1);
    expect(parse(' 16 ')).toBe(16);
    for (const bad of ['0', '-2', '2.5', 'many', 'AUTO']) {
      expect(() => parse(bad)).toThrow(/DISCORD_SHARDS: a number of shards \(1 or more\) or auto/);
    }
    expect(() => loadConfig({ DISCORD_SHARDS: '2' })).toThrow(/DISCORD_SHARDS: needs DISCORD_TOKEN/);
  });

  it('tells a shard process (spawned by the manager) from the manager and from an ordinary process', () => {
    expect(isShardProcess({})).toBe(false);
    expect(isShardProcess({ SHARDING_MANAGER: 'true' })).toBe(false); // the manager sets this on itself too
    expect(isShardProcess({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '4' })).toBe(true);
    expect(usesShardingManager(undefined, {})).toBe(false);
    expect(usesShardingManager(4, {})).toBe(true);
    expect(usesShardingManager('auto', {})).toBe(true);
    // Inside a shard, DISCORD_SHARDS (inherited) must not start another manager.
    expect(usesShardingManager(4, { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '4' })).toBe(false);
  });

  it('unset: Discord runs in this process as before, and no ShardingManager is created', async () => {
    const fake = await FakeDiscord.start();
    const { logger } = captureLogger('warn');
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE_URL: fake.apiBase });
    const adapters = await platformAdapters(config, createStubFrontDoor(), logger);
    expect(adapters.map((a) => a.platform)).toEqual(['discord']);
    await adapters[0]!.start();
    expect(adapters[0]!.isConnected()).toBe(true);
    expect(adapters[0]!.send).toBeTypeOf('function'); // the in-process adapter (the sharded one cannot send)
    expect(process.env.SHARDING_MANAGER).toBeUndefined(); // a ShardingManager would have set it
    expect(fake.intents).toBeDefined(); // this process identified on the gateway
    await adapters[0]!.stop();
    await fake.close();
  });

  it('in a shard process, only Discord runs there (in process), even with DISCORD_SHARDS and a Telegram token set', async () => {
    const { logger } = captureLogger('warn');
    Object.assign(process.env, { SHARDING_MANAGER: 'true' });
    process.env.SHARDS = '0';
    process.env.SHARD_COUNT = '2';
    try {
      const config = loadConfig({ DISCORD_TOKEN: 'token', DISCORD_SHARDS: '2', TELEGRAM_BOT_TOKEN: '1:abc' });
      const adapters = await platformAdapters(config, createStubFrontDoor(), logger);
      expect(adapters.map((a) => a.platform)).toEqual(['discord']);
      expect(adapters[0]!.send).toBeTypeOf('function');
    } finally {
      delete process.env.SHARDS;
      delete process.env.SHARD_COUNT;
    }
  });

  it('DISCORD_SHARDS=1 runs the shard as a child process of src/main.ts, ready over IPC, and stops it gracefully', async () => {
    const fake = await FakeDiscord.start();
    const database = sqliteTestDatabase();
    // The shard inherits this process's environment, as in production.
    Object.assign(process.env, { DISCORD_API_BASE_URL: fake.apiBase, DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    const { logger, logs } = captureLogger('info');
    const shards = createShardedDiscord({ token: fake.token, totalShards: 1, logger, execArgv: tsxExecArgv(), spawnTimeoutMs: 60_000 });
    expect(shards.isConnected()).toBe(false);
    await shards.start();
    expect(shards.isConnected()).toBe(true);
    expect(fake.intents).toBeDefined(); // the shard process identified on the gateway
    expect(logs.some((l) => l.msg === 'discord: all shards ready' && l.shards === 1)).toBe(true);
    await shards.stop();
    expect(shards.isConnected()).toBe(false);
    expect(logs.some((l) => String(l.msg).includes('respawning'))).toBe(false);
    await fake.close();
    await database.drop();
  }, 90_000);
});
