// A prepared-statement cache for Prisma's better-sqlite3 adapter. The adapter (7.10) calls
// `db.prepare(sql).bind(args)` for every query, so SQLite parses and plans the same few dozen statements
// again on every request. Here the connection's `prepare` keeps the prepared statements (least recently used
// out beyond CACHE_SIZE) and hands the adapter a light wrapper per query instead: better-sqlite3 binds a
// statement's parameters only once, so the wrapper passes them on each run rather than calling bind().
// The wrapper offers exactly what the adapter uses (run, and after bind: reader, run, columns, raw().all); the statements, their
// results and their errors are better-sqlite3's own.
import type Database from 'better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { onEachConnection, sqliteClientOf } from './each-connection.ts';

/** Distinct statements kept per connection; Prisma's statements differ only by IN-list lengths beyond this. */
const CACHE_SIZE = 500;

interface BoundStatement {
  readonly reader: boolean;
  run(): Database.RunResult;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
}

interface CachedStatement {
  run(): Database.RunResult;
  bind(args: unknown[]): BoundStatement;
}

/** Wraps the adapter factory so that every connection it opens keeps its prepared statements. */
export function withStatementCache(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return onEachConnection(factory, cacheStatementsOf);
}

function cacheStatementsOf(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const db = sqliteClientOf(adapter);
  // Another adapter version without a better-sqlite3 `client`: leave it as it is (uncached, still correct).
  if (!db) return adapter;
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const cached = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (statement) {
      // Map order is insertion order: re-inserting marks it most recently used.
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
  (db as unknown as { prepare: (sql: string) => CachedStatement }).prepare = (sql: string) => {
    const statement = cached(sql);
    return {
      // The adapter starts a transaction with prepare('BEGIN').run(); everything else goes through bind().
      run: () => statement.run(),
      bind: (args: unknown[]): BoundStatement => ({
        reader: statement.reader,
        run: () => statement.run(args),
        columns: () => statement.columns(),
        raw: () => ({ all: () => statement.raw(true).all(args) }),
      }),
    };
  };
  return adapter;
}
