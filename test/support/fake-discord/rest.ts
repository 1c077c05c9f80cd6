// The REST half of the fake (/api/v10): routes the bot and discord.js use, each checked as Discord does
// (see routes-*.ts); every call is recorded for the tests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGateway } from './gateway.ts';
import { GatewayEvents } from './events.ts';
import { HttpError, fail, readBody, type RestCall, type Route } from './http.ts';
import type { Json } from './model.ts';
import { AppRoutes } from './routes-app.ts';
import { ChannelRoutes } from './routes-channels.ts';
import { InteractionRoutes } from './routes-interactions.ts';
import type { World } from './world.ts';

export type { RestCall } from './http.ts';
export { INTERACTION_WINDOW_MS } from './routes-interactions.ts';

export class FakeRest {
  readonly calls: RestCall[] = [];
  readonly events: GatewayEvents;
  private readonly routes: Route[];

  constructor(
    world: World,
    gateway: FakeGateway,
    private readonly token: string,
    gatewayUrl: () => string,
  ) {
    this.events = new GatewayEvents(world, gateway);
    this.routes = [
      ...new AppRoutes(this.events, gatewayUrl).routes(),
      ...new InteractionRoutes(this.events).routes(),
      ...new ChannelRoutes(this.events).routes(),
    ];
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/api\/v10/, '');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    let parsed: { body: Json; files: RestCall['files'] } = { body: {}, files: [] };
    let status = 500;
    let response: unknown;
    try {
      if (!url.pathname.startsWith('/api/v10/')) fail(404, 0, '404: Not Found');
      parsed = await readBody(req);
      const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) fail(404, 0, `404: Not Found (${method} ${path})`);
      if (route!.auth && req.headers.authorization !== `Bot ${this.token}`) fail(401, 0, '401: Unauthorized');
      const params = route!.pattern.exec(path)!.slice(1).map(decodeURIComponent);
      const result = route!.handler({ params, query, body: parsed.body, files: parsed.files });
      status = result.status;
      response = result.body;
    } catch (error) {
      if (error instanceof HttpError) [status, response] = [error.status, error.body];
      else [status, response] = [500, { code: 0, message: String(error) }];
    }
    this.calls.push({ method, path, query, body: parsed.body, files: parsed.files, status, response, at: Date.now() });
    if (status === 204) {
      // Discord sends no content-type with 204; discord.js relies on that.
      res.writeHead(204).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(response ?? null));
  }
}
