// An HTTP proxy in front of a fake server that counts what passes: requests per path and how many are in
// flight at once (from the request's arrival until its response has been sent in full). Each bot process
// gets its own proxy, so a test can tell which process made a call. In-flight counts can only be lower
// than what the client sees (the client frees its slot after reading the response), never higher.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** In-flight counts shared by several proxies: the total the fake behind them sees. */
export interface Tally {
  inFlight: number;
  maxInFlight: number;
}

export function tally(): Tally {
  return { inFlight: 0, maxInFlight: 0 };
}

export interface CountingProxy {
  /** Origin of the proxy (http://127.0.0.1:PORT); paths are passed through unchanged. */
  readonly origin: string;
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Paths of every request, in arrival order. */
  readonly paths: string[];
  /** How many requests had a path ending in `suffix`. */
  count(suffix: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(targetOrigin: string, shared: Tally = tally()): Promise<CountingProxy> {
  const target = new URL(targetOrigin);
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    paths.push(path.split('?')[0]!);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    shared.inFlight += 1;
    shared.maxInFlight = Math.max(shared.maxInFlight, shared.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
      shared.inFlight -= 1;
    };
    res.on('close', finish);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // A client that goes away (a killed process) takes its upstream request with it.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    paths,
    count: (suffix) => paths.filter((p) => p.endsWith(suffix)).length,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
