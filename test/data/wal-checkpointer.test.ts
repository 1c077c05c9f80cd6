// WAL checkpoints off the event loop (src/core/db/wal-checkpointer.ts): the bot's own SQLite connection never
// checkpoints while the worker runs, the worker keeps the WAL from growing, and if the worker fails the bot's
// connection checkpoints for itself again.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database as TutorDatabase } from '../../src/core/db/client.ts';
import { WalCheckpointHandoff } from '../../src/core/db/sqlite-pragmas.ts';
import { startWalCheckpointer, type WalCheckpointer } from '../../src/core/db/wal-checkpointer.ts';

let dir: string;
let database: TutorDatabase | undefined;
let checkpointer: WalCheckpointer | undefined;
let writer: Database.Database | undefined;

afterEach(async () => {
  await checkpointer?.stop();
  await database?.close();
  writer?.close();
  checkpointer = database = writer = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'tutor-wal-'));
  return dir;
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;
const until = async (done: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Rows written one commit each: about 2 pages of WAL per commit. */
function writeRows(db: Database.Database, count: number): void {
  const insert = db.prepare('INSERT INTO t (text) VALUES (?)');
  for (let i = 0; i < count; i++) insert.run('x'.repeat(3000));
}

describe('the WAL checkpoint worker', () => {
  it('checkpoints what a writer without automatic checkpoints left in the WAL, and the WAL starts over', async () => {
    const file = join(newDir(), 'wal.db');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)');
    writeRows(writer, 1500); // ~3000 pages: SQLite alone would have checkpointed three times
    const grown = walBytes(file);
    expect(grown).toBeGreaterThan(8 * 1024 * 1024);

    checkpointer = startWalCheckpointer({ file, intervalMs: 50, onFailure: (error) => console.error('the checkpoint worker failed', error) });
    await until(() => (checkpointer!.lastCheckpoint()?.checkpointed ?? 0) > 0);
    const first = checkpointer.lastCheckpoint()!;
    expect(first.checkpointed).toBe(first.log); // every frame copied: no reader held an older snapshot

    // The next commits write the WAL from its start again instead of appending after it.
    writeRows(writer, 500);
    await until(() => {
      const last = checkpointer!.lastCheckpoint()!;
      return last.log < first.log && last.checkpointed === last.log;
    });
    expect(walBytes(file)).toBe(grown); // the file is reused in place, not grown
    expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
  });

  it('gives the checkpoints back to the bot when it fails', async () => {
    const file = join(newDir(), 'wal.db');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    const handoff = new WalCheckpointHandoff();
    handoff.attach(writer);
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    const folder = join(dir, 'not-a-database');
    mkdirSync(folder); // a folder where the file should be: SQLite cannot open it
    let failure: Error | undefined;
    checkpointer = startWalCheckpointer({
      file: folder,
      intervalMs: 20,
      onFailure: (error) => {
        failure = error;
        handoff.giveBack();
      },
    });
    await until(() => failure !== undefined);
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});

describe('a database opened as the bot opens it (SQLITE_CHECKPOINT_MS)', () => {
  it("the bot's connection does not checkpoint; the worker does", async () => {
    const file = join(newDir(), 'tutor.db');
    database = await openDatabase(`file:${file}`, { walCheckpointMs: 50 });
    const pragma = async (sql: string) => Object.values((await database!.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql))[0]!)[0];
    expect(await pragma('PRAGMA wal_autocheckpoint')).toBe(0n);
    expect(await pragma('PRAGMA journal_mode')).toBe('wal');
    const insertUsers = async (count: number) => {
      for (let i = 0; i < count; i++) await database!.prisma.$executeRawUnsafe(`INSERT INTO "users" ("display_name") VALUES ('${'n'.repeat(2000)}')`);
    };
    await insertUsers(200);
    await new Promise((resolve) => setTimeout(resolve, 300)); // several of the worker's checkpoints
    const size = walBytes(file);
    // Half as many commits again: written from the WAL's start, since the worker copied all of it (with no
    // checkpoint at all they would be appended and the file would grow).
    await insertUsers(100);
    expect(walBytes(file)).toBe(size);
  });

  it('without it, SQLite checkpoints on the connection as by default', async () => {
    const file = join(newDir(), 'tutor.db');
    database = await openDatabase(`file:${file}`);
    const rows = await database.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>('PRAGMA wal_autocheckpoint');
    expect(Object.values(rows[0]!)[0]).toBe(1000n);
  });
});
