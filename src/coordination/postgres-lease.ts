// A lease as a PostgreSQL session-level advisory lock, for deployments without Redis. It needs a connection
// of its own (a pooled Prisma connection would hand the lock to whichever query runs next), so this is the
// one place besides Prisma that talks to the database, and it only ever runs pg_try_advisory_lock, SELECT 1
// and pg_advisory_unlock. The lock ends with the session: a process that dies frees it at once.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Lease } from './lease.ts';

export interface PostgresLeaseOptions {
  /** How long connecting and each query may take. */
  timeoutMs: number;
}

/** A 64-bit advisory-lock key derived from a name (signed, as PostgreSQL's bigint). */
export function advisoryKey(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
}

export function createPostgresLease(databaseUrl: string, name: string, options: PostgresLeaseOptions): Lease {
  const key = advisoryKey(name);
  let client: pg.Client | undefined;
  let held = false;

  const drop = () => {
    const old = client;
    client = undefined;
    held = false;
    // Ending the session frees the lock on the server.
    void old?.end().catch(() => undefined);
  };

  const connected = async (): Promise<pg.Client> => {
    if (client) return client;
    // pg is loaded here, not at start: a bot on SQLite never needs it.
    const { default: pgModule } = await import('pg');
    const fresh = new pgModule.Client({ connectionString: databaseUrl, connectionTimeoutMillis: options.timeoutMs, query_timeout: options.timeoutMs });
    // A broken connection must not crash the process: the next renewal notices and reports the lease lost.
    fresh.on('error', () => {
      if (client === fresh) drop();
    });
    await fresh.connect();
    client = fresh;
    return fresh;
  };

  return {
    name,
    async tryAcquire() {
      if (held) return this.renew();
      try {
        const c = await connected();
        const result = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
        held = result.rows[0]?.locked === true;
        return held;
      } catch (error) {
        drop();
        throw error;
      }
    },
    async renew() {
      if (!held || !client) return false;
      try {
        await client.query('SELECT 1');
        return true;
      } catch {
        drop();
        return false;
      }
    },
    async release() {
      const c = client;
      if (c && held) await c.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      drop();
    },
  };
}
