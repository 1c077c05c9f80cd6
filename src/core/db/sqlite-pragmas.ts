// Every SQLite connection the app opens runs in WAL mode with synchronous=NORMAL. journal_mode=WAL is kept in
// the file, but synchronous is per connection, and SQLite only gives a connection NORMAL by default when the
// file was already in WAL mode when it opened: one opened before (after in-process migrations: tests, tsx runs)
// stayed at FULL, an fsync of the WAL at every commit, blocking the event loop each time. With NORMAL a commit
// survives a crash or kill of the process; a power cut or an OS crash can roll back the last commits (the
// database stays consistent). The activity journal keeps its own fdatasync (ACTIVITY_JOURNAL_FSYNC_MS).
// Checkpoints: see wal-checkpointer.ts (a worker thread runs them when the app asks for it).
import type Database from 'better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { onEachConnection, sqliteClientOf } from './each-connection.ts';

export function withSqlitePragmas(factory: SqlMigrationAwareDriverAdapterFactory, checkpoints?: WalCheckpointHandoff): SqlMigrationAwareDriverAdapterFactory {
  return onEachConnection(factory, (adapter) => applyPragmas(adapter, checkpoints));
}

function applyPragmas(adapter: SqlDriverAdapter, checkpoints: WalCheckpointHandoff | undefined): SqlDriverAdapter {
  const db = sqliteClientOf(adapter);
  // Another adapter version without a better-sqlite3 `client`: SQLite's defaults (correct, only slower).
  if (!db) return adapter;
  // WAL lets readers work while the activity log writes a batch (":memory:" stays "memory").
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  checkpoints?.attach(db);
  return adapter;
}

/** SQLite's own threshold for an automatic checkpoint, in WAL pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The bot's connections while a worker checkpoints the WAL (wal-checkpointer.ts): their automatic checkpoints
 * are off, and come back (SQLite's default) on every connection if the worker fails.
 */
export class WalCheckpointHandoff {
  private readonly connections = new Set<Database.Database>();
  private byWorker = true;

  attach(db: Database.Database): void {
    this.connections.add(db);
    if (this.byWorker) db.pragma('wal_autocheckpoint = 0');
  }

  /** The worker is gone: each connection checkpoints for itself again. */
  giveBack(): void {
    this.byWorker = false;
    for (const db of this.connections) if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  }
}
