// A driver adapter factory whose every connection (the shadow database's too) passes through `change` first:
// the one shape of the wrappers that keep prepared statements, set SQLite's pragmas or observe statements.
import type Database from 'better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export function onEachConnection(
  factory: SqlMigrationAwareDriverAdapterFactory,
  change: (adapter: SqlDriverAdapter) => SqlDriverAdapter,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => change(await factory.connect()),
    connectToShadowDb: async () => change(await factory.connectToShadowDb()),
  };
}

/** The better-sqlite3 connection inside Prisma's adapter; undefined for another adapter (or version) without one. */
export function sqliteClientOf(adapter: SqlDriverAdapter): Database.Database | undefined {
  const db = (adapter as unknown as { client?: Database.Database }).client;
  return db && typeof db.prepare === 'function' && typeof db.pragma === 'function' ? db : undefined;
}
