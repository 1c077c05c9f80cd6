// A TCP proxy on 127.0.0.1 that tests put between the core and a server (PostgreSQL) to simulate outages
// without touching the server. Two kinds of outage:
// - 'reset' (default): every open connection is reset and new ones are refused (reset at once), as when the
//   server process is gone or a firewall rejects;
// - 'blackhole': nothing is answered any more (open connections stay open but silent, new ones are accepted
//   and never served), as in a network partition: only timeouts notice it.
//
//   const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
//   const url = proxy.rewrite('postgresql://postgres@127.0.0.1:5432/db');   // same URL, the proxy's port
//   await proxy.outage(3000);   // resolves when connections are accepted again
//   await proxy.close();
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted and forwarded so far. */
  readonly stats: { accepted: number; refused: number; dropped: number };
  /** The same URL with host and port replaced by the proxy's. */
  rewrite(url: string): string;
  /** An outage of `ms`; resolves when connections are served again. */
  outage(ms: number, mode?: OutageMode): Promise<void>;
  /** Starts an outage without an end (until restore()). */
  down(mode?: OutageMode): void;
  restore(): void;
  readonly isDown: boolean;
  close(): Promise<void>;
}

export type OutageMode = 'reset' | 'blackhole';

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const stats = { accepted: 0, refused: 0, dropped: 0 };
  let down: OutageMode | false = false;
  /** Sockets held silent during a blackhole outage; destroyed when it ends (their peer has long timed out). */
  const silent = new Set<Socket>();
  let restoreTimer: NodeJS.Timeout | undefined;

  const server = createServer((client) => {
    if (down) {
      stats.refused += 1;
      client.on('error', () => {});
      if (down === 'blackhole') {
        client.pause();
        silent.add(client);
      } else client.resetAndDestroy();
      return;
    }
    stats.accepted += 1;
    client.setNoDelay(true);
    const upstream = connect({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (data) => {
      if (!down) upstream.write(data);
    });
    upstream.on('data', (data) => {
      if (!down) client.write(data);
    });
  });

  const dropAll = () => {
    for (const { client, upstream } of pairs) {
      stats.dropped += 1;
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const proxy: TcpProxy = {
    port,
    stats,
    rewrite(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    down(mode = 'reset') {
      down = mode;
      // A blackhole keeps connections open: bytes in either direction are dropped from now on.
      if (mode === 'reset') dropAll();
    },
    restore() {
      if (restoreTimer) clearTimeout(restoreTimer);
      restoreTimer = undefined;
      // Connections that lost bytes in a blackhole are broken streams: end them as the partition's TCP would.
      if (down === 'blackhole') dropAll();
      for (const socket of silent) socket.destroy();
      silent.clear();
      down = false;
    },
    get isDown() {
      return down !== false;
    },
    outage(ms, mode = 'reset') {
      proxy.down(mode);
      return new Promise<void>((resolve) => {
        restoreTimer = setTimeout(() => {
          proxy.restore();
          resolve();
        }, ms);
      });
    },
    async close() {
      proxy.restore();
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
