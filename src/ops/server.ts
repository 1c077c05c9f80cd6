// The operations HTTP server (HEALTH_PORT): GET /healthz (JSON, 200 when healthy, 503 otherwise) and
// GET /metrics (Prometheus text format); with ADMIN_TOKEN also the operator dashboard under /admin (src/ops/admin).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import type { HealthReport } from './health.ts';

export interface OpsServerOptions {
  port: number;
  host?: string;
  health: () => Promise<HealthReport>;
  registry: Registry;
  logger: Logger;
  /** More routes (the /admin dashboard): returns true when it took the request. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const log = options.logger.child({ component: 'ops-server' });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (options.routes?.(req, res)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') {
      options.health().then(
        (report) => send(report.ok ? 200 : 503, 'application/json', JSON.stringify(report)),
        (error: unknown) => {
          log.error({ err: error }, 'health check failed');
          send(503, 'application/json', JSON.stringify({ ok: false }));
        },
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(200, options.registry.contentType, text),
        (error: unknown) => {
          log.error({ err: error }, 'metrics collection failed');
          send(500, 'text/plain', 'metrics unavailable\n');
        },
      );
      return;
    }
    send(404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'ops server listening (/healthz, /metrics)');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
