// Whether this process is one of discord.js's ShardingManager children, read from the environment alone, so
// that the entry point can ask without loading discord.js (a terminal chat never needs it).
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER === 'true' && env.SHARDS !== undefined && env.SHARD_COUNT !== undefined;
}

/** Whether this process should run Discord through the ShardingManager rather than in process. */
export function usesShardingManager(shards: number | 'auto' | undefined, env: NodeJS.ProcessEnv = process.env): shards is number | 'auto' {
  return shards !== undefined && !isShardProcess(env);
}
