// Starts the operations server (HEALTH_PORT) of a bot process over its core and running adapters.
import type { Core } from '../app.ts';
import type { PlatformAdapter } from '../bots/adapter.ts';
import type { Logger } from '../logger.ts';
import { checkHealth } from './health.ts';
import { startOpsServer, type OpsServer } from './server.ts';
import { createAdminHandler } from './admin/router.ts';

export function startOps(core: Core, adapters: () => readonly PlatformAdapter[], logger: Logger, port = core.config.HEALTH_PORT): Promise<OpsServer> {
  if (port === undefined) throw new Error('HEALTH_PORT is not set');
  const redis = core.redis;
  const token = core.config.ADMIN_TOKEN;
  // The dashboard exists only with ADMIN_TOKEN: without it /admin is a 404 like any unknown path.
  const admin = token
    ? createAdminHandler({
        token,
        reads: core.dashboard,
        logger,
        prices: { inputPerMTok: core.config.LLM_PRICE_INPUT_PER_MTOK, outputPerMTok: core.config.LLM_PRICE_OUTPUT_PER_MTOK },
      })
    : undefined;
  return startOpsServer({
    ...(admin ? { routes: admin } : {}),
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
