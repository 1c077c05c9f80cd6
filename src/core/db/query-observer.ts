// Tells a listener about every SQL statement the Prisma client sends through the driver adapter (inside
// transactions too): the seam the statement-count test and diagnostics use, with no change to what runs.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { onEachConnection } from './each-connection.ts';

export type QueryListener = (sql: string) => void;

export function observeQueries(factory: SqlMigrationAwareDriverAdapterFactory, onQuery: QueryListener): SqlMigrationAwareDriverAdapterFactory {
  return onEachConnection(factory, (adapter) => observed(adapter, onQuery));
}

function observed<T extends SqlDriverAdapter | Transaction>(queryable: T, onQuery: QueryListener): T {
  return new Proxy(queryable, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (query: { sql: string }) => {
          onQuery(query.sql);
          return (value as (q: unknown) => unknown).call(target, query);
        };
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => observed(await (value as (...a: unknown[]) => Promise<Transaction>).apply(target, args), onQuery);
      }
      // The adapters keep private fields (#mutex): their own methods must run with the real object as `this`.
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
