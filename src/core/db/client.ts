// The one place a Prisma client is created. Repositories receive it; nothing else touches it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient as SqlitePrismaClient } from '../../generated/sqlite/client.ts';
import { applyMigrations, migrationsPending } from './migrations.ts';
import { applyMigrationsInWorker, runningFromBuild } from './migrate-in-worker.ts';
import { checkSqliteWritable, fileIdentity, sqliteFileProblem } from './sqlite-file.ts';
import { withStatementCache } from './statement-cache.ts';
import { WalCheckpointHandoff, withSqlitePragmas } from './sqlite-pragmas.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';
import { observeQueries, type QueryListener } from './query-observer.ts';
import { rawSqlOver, type RawSql } from './raw-sql.ts';
import { parseDatabaseUrl, type DatabaseProvider, type DatabaseTarget } from './url.ts';

/**
 * Both generated clients come from one set of models, so their APIs are the same;
 * the SQLite client's type stands for both.
 */
export type Db = InstanceType<typeof SqlitePrismaClient>;
export type { Prisma } from '../../generated/sqlite/client.ts';

export interface Database {
  provider: DatabaseProvider;
  prisma: Db;
  /** Hand-written SQL on the client's own connection, for the statements every command runs (raw-sql.ts). */
  sql: RawSql;
  /**
   * SQLite: why the database file is no longer the one opened (deleted or replaced while running), else
   * undefined. Always undefined for PostgreSQL and in-memory SQLite.
   */
  fileProblem(): string | undefined;
  /**
   * Connects the Prisma client, which loads its query compiler (~100 ms of CPU). Until then only the
   * hand-written statements have run (sharing the connection): called after start-up, so that "ready" comes
   * first and the first command does not wait for it; the client would connect at its first query anyway.
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  onMigrationsApplied?: (names: string[]) => void;
  /** Told every SQL statement the client sends at run time (not the migrations'); see query-observer.ts. */
  onQuery?: QueryListener;
  /**
   * SQLite file: run WAL checkpoints in a worker thread every this many ms instead of inside the bot's own
   * commits (wal-checkpointer.ts). 0 or unset: SQLite checkpoints on the committing connection, as by default.
   */
  walCheckpointMs?: number;
  /** Told when the checkpoint worker failed and SQLite's own checkpoints took over again. */
  onCheckpointerFailure?: (error: Error) => void;
}

/** The longest a single PostgreSQL query may take before it is abandoned (see adapterFactoryFor). */
export const POSTGRES_QUERY_TIMEOUT_MS = 15_000;

/**
 * The driver adapter for `target`. Each provider's driver (better-sqlite3, or pg with @prisma/adapter-pg) is
 * loaded only when that provider is used: a bot on SQLite never loads pg, one on PostgreSQL never loads SQLite.
 */
export async function adapterFactoryFor(target: DatabaseTarget, poolSize = 10, queryTimeoutMs?: number): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (target.provider === 'sqlite') {
    if (target.location !== ':memory:') mkdirSync(dirname(target.location), { recursive: true });
    // timeout: how long a writer waits for SQLite's lock (another process, or the migration engine).
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return new PrismaBetterSqlite3({ url: target.location, timeout: 10_000 });
  }
  // query_timeout: in a network partition nothing answers and a query would wait for TCP to give up (many
  // minutes), holding the learner's request and a pool slot; with it the query fails and the connection is dropped.
  // A `?query_timeout=ms` parameter in DATABASE_URL overrides it (pg reads URL parameters last).
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return new PrismaPg({ connectionString: target.location, max: poolSize, connectionTimeoutMillis: 5_000, ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}) });
}

export async function openDatabase(url: string | undefined, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const sqliteFile = target.provider === 'sqlite' && target.location !== ':memory:' ? target.location : undefined;
  // A folder or file SQLite cannot write: say which and why, before SQLite and the migration engine fail vaguely.
  if (sqliteFile) checkSqliteWritable(sqliteFile);
  const factory = await adapterFactoryFor(target, options.poolSize);
  if (options.migrate !== false) {
    const applied = !runningFromBuild
      ? await applyMigrations(target.provider, factory)
      : (await migrationsPending(target.provider, factory))
        ? await applyMigrationsInWorker(url)
        : [];
    if (applied.length > 0) options.onMigrationsApplied?.(applied);
  }
  // Queries at run time get a time limit; migrations (above) may legitimately run long.
  // Only the provider's own generated client is loaded: each carries its query compiler. On SQLite, prepared
  // statements are kept across queries (statement-cache.ts); the migration engine above gets the plain adapter.
  const observe = (f: SqlMigrationAwareDriverAdapterFactory) => (options.onQuery ? observeQueries(f, options.onQuery) : f);
  const handoff = sqliteFile && options.walCheckpointMs ? new WalCheckpointHandoff() : undefined;
  const raw = rawSqlOver(
    observe(target.provider === 'sqlite' ? withStatementCache(withSqlitePragmas(factory, handoff)) : await adapterFactoryFor(target, options.poolSize, POSTGRES_QUERY_TIMEOUT_MS)),
  );
  const prisma =
    target.provider === 'sqlite'
      ? new (await import('../../generated/sqlite/client.ts')).PrismaClient({ adapter: raw.factory })
      : (new (await import('../../generated/postgresql/client.ts')).PrismaClient({ adapter: raw.factory }) as unknown as Db);
  const sql = raw.rawSql();
  // The file as opened (it exists now): a later deletion or replacement is told apart by device and inode.
  const opened = sqliteFile ? fileIdentity(sqliteFile) : undefined;
  const fileProblem = () => (sqliteFile && opened ? sqliteFileProblem(sqliteFile, opened) : undefined);
  const checkpointer =
    handoff && sqliteFile
      ? startWalCheckpointer({
          file: sqliteFile,
          intervalMs: options.walCheckpointMs!,
          onFailure: (error) => {
            handoff.giveBack();
            options.onCheckpointerFailure?.(error);
          },
        })
      : undefined;
  const close = async () => {
    await checkpointer?.stop();
    await prisma.$disconnect();
    await raw.close();
  };
  return { provider: target.provider, prisma, sql, fileProblem, warmUp: () => prisma.$connect(), close };
}
