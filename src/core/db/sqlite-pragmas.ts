// Every SQLite connection the app opens runs in WAL mode with synchronous=NORMAL. journal_mode=WAL is kept in
// the file, but synchronous is per connection, and SQLite only gives a connection NORMAL by default when the
// file was already in WAL mode when it opened: one opened before (after in-process migrations: tests, tsx runs)
// stayed at FULL, an fsync of the WAL at every commit, blocking the event loop each time. With NORMAL a commit
// survives a crash or kill of the process; a power cut or an OS crash can roll back the last commits (the
// database stays consistent). The activity journal keeps its own fdatasync (ACTIVITY_JOURNAL_FSYNC_MS).
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { onEachConnection, sqliteClientOf } from './each-connection.ts';

export function withSqlitePragmas(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return onEachConnection(factory, applyPragmas);
}

function applyPragmas(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const db = sqliteClientOf(adapter);
  // Another adapter version without a better-sqlite3 `client`: SQLite's defaults (correct, only slower).
  if (!db) return adapter;
  // WAL lets readers work while the activity log writes a batch (":memory:" stays "memory").
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return adapter;
}
