// Webhook mode: a plain node:http server that accepts Telegram's POSTs. It answers 200 at once and handles
// the update afterwards, because Telegram re-sends updates whose request takes too long (LLM calls do).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'grammy/types';
import type { Logger } from '../../logger.ts';

const MAX_BODY_BYTES = 1_000_000;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookServerOptions {
  port: number;
  host?: string;
  /** Only POSTs to this path are accepted (the path of the webhook URL). */
  path: string;
  secretToken: string;
  onUpdate(update: Update): void;
  log: Logger;
}

export interface WebhookServer {
  readonly port: number;
  isListening(): boolean;
  close(): Promise<void>;
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== options.path) {
      res.writeHead(404).end();
      return;
    }
    if (!sameSecret(req.headers[SECRET_HEADER], options.secretToken)) {
      options.log.warn('telegram: webhook request with a wrong secret token');
      res.writeHead(401).end();
      return;
    }
    readBody(req)
      .then((body) => {
        let update: unknown;
        try {
          update = body === undefined ? undefined : JSON.parse(body);
        } catch {
          update = undefined;
        }
        if (typeof update !== 'object' || update === null || typeof (update as Update).update_id !== 'number') {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        options.onUpdate(update as Update);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    isListening: () => server.listening,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
