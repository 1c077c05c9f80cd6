// Starts the operations server (HEALTH_PORT) of a bot process over its core and running adapters.
import type { Core } from '../app.ts';
import type { PlatformAdapter } from '../bots/adapter.ts';
import type { Logger } from '../logger.ts';
import { checkHealth } from './health.ts';
import { startOpsServer, type OpsServer } from './server.ts';

export function startOps(core: Core, adapters: () => readonly PlatformAdapter[], logger: Logger, port = core.config.HEALTH_PORT): Promise<OpsServer> {
  if (port === undefined) throw new Error('HEALTH_PORT is not set');
  const redis = core.redis;
  return startOpsServer({
    port,
    host: core.config.HEALTH_HOST,
    registry: core.metrics.registry,
    logger,
    health: () =>
      checkHealth({
        pingDatabase: () => core.pingDatabase(),
        journalAbsorbsOutage: () => core.journalAbsorbsOutage(),
        ...(redis ? { pingRedis: () => redis.ping() } : {}),
        adapters,
      }),
  });
}
