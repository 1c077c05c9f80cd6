// The activity log's local journal (issue 16) with the real repository (SQLite, and PostgreSQL when
// configured): a dead process's journal is replayed in order and idempotently, a torn last record is skipped
// with a warning, a live owner's directory is refused, an outage is held on disk (memory bounded to a
// batch) and, above ACTIVITY_JOURNAL_MAX_MB, the entries dropped are counted exactly. The database "outage"
// here is a sink in front of the real repository that refuses writes while `down` (the seam the logger has);
// the real network outage is in test/faults/database.test.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { BufferedActivityLog, type ActivityEntry, type ActivityEntryInput, type ActivityLogSink } from '../../src/core/activity-log.ts';
import { openDatabase, type Database } from '../../src/core/db/client.ts';
import { ActivityJournal } from '../../src/core/journal/activity-journal.ts';
import { JournalLockedError, LOCK_FILE } from '../../src/core/journal/directory-lock.ts';
import { ActivityLogRepository } from '../../src/core/repositories/activity-log-repository.ts';
import { captureLogger } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { tempJournalDir } from '../support/journal-dir.ts';

const entry = (userId: number, i: number): ActivityEntryInput => ({
  userId,
  contentType: 'flashcards',
  direction: i % 2 === 0 ? 'input' : 'output',
  queryText: `query ${i} ${'·'.repeat(i % 7)}`,
  targetLanguage: 'es',
  baseLanguage: 'en',
  requestMetadata: { i },
});

/** The real repository behind a switch: while `down`, writes fail as an unreachable database's would. */
class SwitchableSink implements ActivityLogSink {
  down = false;
  failed = 0;
  constructor(private readonly repository: ActivityLogRepository) {}
  async writeBatch(entries: ActivityEntry[]): Promise<void> {
    if (this.down) {
      this.failed += 1;
      throw new Error('database unreachable');
    }
    await this.repository.writeBatch(entries);
  }
  isPermanent(error: unknown): boolean {
    return this.repository.isPermanent(error);
  }
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const segmentFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('segment-')).sort();

describe.each(PROVIDERS)('activity journal ($name)', ({ name, create, skip }) => {
  let db: TestDatabase | undefined;
  let database: Database | undefined;
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await database?.close();
    await db?.drop();
    database = undefined;
    db = undefined;
  });

  async function setUp() {
    db = await create();
    database = await openDatabase(db.url);
    const user = await database.prisma.user.create({ data: { displayName: 'Journal learner' } });
    const journalDir = tempJournalDir();
    cleanups.push(() => journalDir.remove());
    return { prisma: database.prisma, repository: new ActivityLogRepository(database.prisma, database.provider), userId: user.id, dir: journalDir.dir };
  }

  // As src/app.ts configures it (SQLite replays a batch at a time).
  const openLog = (sink: ActivityLogSink, dir: string, logger: ReturnType<typeof captureLogger>['logger'], maxBytes = 256 * 1024 * 1024) => {
    const journal = ActivityJournal.open({ dir, maxBytes, fsyncIntervalMs: 1_000, logger });
    return new BufferedActivityLog(sink, {
      batchSize: 100,
      maxAgeMs: 60_000,
      maxBuffered: 100_000,
      logger,
      journal,
      retryBaseMs: 20,
      retryMaxMs: 100,
      ...(name === 'sqlite' ? { replayBatch: 100 } : {}),
    });
  };

  it.skipIf(Boolean(skip))(
    skip ? `skipped: ${skip}` : `a dead process's journal is replayed first, in order, each entry once; a torn last record is skipped with a warning (${name})`,
    async () => {
      const { prisma, repository, userId, dir } = await setUp();
      const first = captureLogger('info');
      // The "dead" process: 150 entries; the first and a batch of 100 reach the database, 49 wait in memory.
      const dead = openLog(repository, dir, first.logger);
      const ids = [dead.log(entry(userId, 0))];
      await until(() => dead.stats().written === 1, 5_000, 'the first entry written');
      for (let i = 1; i <= 100; i++) ids.push(dead.log(entry(userId, i)));
      await until(() => dead.stats().written === 101, 5_000, 'a batch of 100 written');
      for (let i = 101; i < 150; i++) ids.push(dead.log(entry(userId, i))); // wait in memory (max age 60 s)
      expect(await prisma.activityLog.count()).toBe(101);
      // It dies mid-write of its last record: the record is cut short on disk. (The lock names this test's own
      // pid, which a new owner treats as a previous incarnation of itself: stale, as after a container restart.)
      const [segment] = segmentFiles(dir);
      truncateSync(join(dir, segment!), statSync(join(dir, segment!)).size - 7);

      const second = captureLogger('info');
      const log = openLog(repository, dir, second.logger);
      expect(log.stats().journal).toMatchObject({ replays: 1, spilled: true });
      const later = log.log(entry(userId, 1_000)); // logged during the replay: written after it, never lost
      await until(() => log.stats().buffered === 0 && !log.stats().journal!.spilled, 10_000, 'the replay to finish');

      const rows = await prisma.activityLog.findMany({ select: { id: true }, orderBy: { id: "asc" } });
      const expected = [...ids.slice(0, 149), later].sort();
      expect(rows.map((r) => r.id)).toEqual(expected); // 149 replayed or already there, each once; the torn 150th not
      expect(log.stats().journal).toMatchObject({ skippedRecords: 1, replayedEntries: 149 + 1 });
      const warning = second.logs.find((l) => l.msg === 'activity journal: damaged record skipped; the entries before it were replayed');
      expect(warning).toMatchObject({ level: 40, reason: 'torn last record (the process died mid-write)' });
      // The dead process's segment is gone once every entry in it is in the database; only this process's remains.
      expect(segmentFiles(dir)).toHaveLength(1);
      expect(await log.close()).toBe(0);
      expect(segmentFiles(dir)).toEqual([]); // everything written: nothing kept
      console.info(`[${name}] replayed a dead process's journal: 149 entries (101 already in the database, 48 new), 1 torn record skipped`);
    },
    30_000,
  );

  it.skipIf(Boolean(skip))(
    skip ? `skipped: ${skip}` : `an outage: memory stays at one batch, the journal holds the rest on disk, and all of it is written when the database is back (${name})`,
    async () => {
      const { prisma, repository, userId, dir } = await setUp();
      const { logger } = captureLogger('warn');
      const sink = new SwitchableSink(repository);
      const log = openLog(sink, dir, logger);
      log.log(entry(userId, 0));
      await until(() => log.stats().written === 1, 5_000, 'the first entry');
      sink.down = true;
      let maxMemory = 0;
      for (let i = 1; i <= 5_000; i++) {
        log.log(entry(userId, i));
        maxMemory = Math.max(maxMemory, log.stats().journal!.memory);
        if (i % 500 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      expect(sink.failed).toBeGreaterThan(0);
      const during = log.stats();
      expect(during.journal).toMatchObject({ spilled: true, pending: 5_000 });
      expect(maxMemory).toBeLessThanOrEqual(1_000); // batchSize × 10, not the 5 000 waiting
      sink.down = false;
      await until(() => log.stats().buffered === 0 && !log.stats().journal!.spilled, 30_000, 'the journal to be written');
      expect(await prisma.activityLog.count()).toBe(5_001);
      expect(log.stats()).toMatchObject({ dropped: 0 });
      await log.close();
      console.info(`[${name}] outage: 5 000 entries held on disk (${during.journal!.bytes} bytes in ${during.journal!.segments} segment(s)), at most ${maxMemory} in memory; all written after`);
    },
    60_000,
  );

  it.skipIf(Boolean(skip))(
    skip ? `skipped: ${skip}` : `above ACTIVITY_JOURNAL_MAX_MB the oldest segments are dropped: the count is exact and logged (${name})`,
    async () => {
      const { prisma, repository, userId, dir } = await setUp();
      const { logger, logs } = captureLogger('warn');
      const sink = new SwitchableSink(repository);
      const log = openLog(sink, dir, logger, 128 * 1024); // 128 KiB: about 700 entries
      log.log(entry(userId, 0));
      await until(() => log.stats().written === 1, 5_000, 'the first entry');
      sink.down = true;
      const logged = 4_000;
      for (let i = 1; i <= logged; i++) log.log(entry(userId, i));
      await new Promise((r) => setImmediate(r)); // the journal writes what this turn logged
      expect(log.stats().dropped).toBeGreaterThan(0);
      sink.down = false;
      await until(() => log.stats().buffered === 0 && !log.stats().journal!.spilled, 30_000, 'the rest to be written');
      const dropped = log.stats().dropped;
      const rows = await prisma.activityLog.count();
      // Exact: every entry is either in the database or counted as dropped, never both, never neither.
      expect(rows - 1 + dropped).toBe(logged);
      const errorLines = logs.filter((l) => l.msg === 'activity journal: over ACTIVITY_JOURNAL_MAX_MB, oldest segment dropped with entries not yet in the database');
      expect(errorLines.every((l) => l.level === 50)).toBe(true);
      expect(errorLines.reduce((n, l) => n + Number(l.droppedEntries), 0)).toBe(dropped);
      expect(log.stats().journal).toMatchObject({ droppedEntries: dropped, droppedSegments: errorLines.length });
      // The newest entries survived (the oldest are dropped first).
      expect(await prisma.activityLog.count({ where: { queryText: { startsWith: `query ${logged} ` } } })).toBe(1);
      expect(await prisma.activityLog.count({ where: { queryText: { startsWith: 'query 1 ' } } })).toBe(0);
      await log.close();
      console.info(`[${name}] disk bound 128 KiB: ${logged} entries logged in an outage, ${dropped} dropped in ${errorLines.length} segment(s) (logged), ${rows - 1} written`);
    },
    60_000,
  );

  it.skipIf(Boolean(skip))(
    skip ? `skipped: ${skip}` : `a replay of 100 000 entries runs at full batch speed without stalling the event loop (${name})`,
    async () => {
      const { prisma, repository, userId, dir } = await setUp();
      const { logger } = captureLogger('warn');
      const sink = new SwitchableSink(repository);
      const log = openLog(sink, dir, logger);
      log.log(entry(userId, 0));
      await until(() => log.stats().written === 1, 5_000, 'the first entry');
      sink.down = true;
      const total = 100_000;
      for (let i = 1; i <= total; i++) log.log(entry(userId, i));
      await new Promise((r) => setImmediate(r)); // the journal writes this burst (the test's own stall, not the replay's)
      const delay = monitorEventLoopDelay({ resolution: 5 });
      // A learner's request every 10 ms meanwhile: how late each one runs.
      let worstLateness = 0;
      let expectedAt = Date.now() + 10;
      const learner = setInterval(() => {
        worstLateness = Math.max(worstLateness, Date.now() - expectedAt);
        expectedAt = Date.now() + 10;
      }, 10);
      sink.down = false;
      const started = Date.now();
      delay.enable();
      await until(() => log.stats().buffered === 0 && !log.stats().journal!.spilled, 120_000, 'the replay');
      delay.disable();
      clearInterval(learner);
      const seconds = (Date.now() - started) / 1000;
      expect(await prisma.activityLog.count()).toBe(total + 1);
      await log.close();
      console.info(
        `[${name}] replay of ${total} entries: ${seconds.toFixed(1)} s (${Math.round(total / seconds)} entries/s); event-loop delay during it: ` +
          `p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms; a 10 ms timer ran at most ${worstLateness} ms late`,
      );
    },
    180_000,
  );
});

describe('one process per journal directory', () => {
  it('a directory locked by a live process is refused with a message naming ACTIVITY_JOURNAL_DIR; a dead owner is taken over', () => {
    const { logger } = captureLogger('warn');
    const { dir, remove } = tempJournalDir();
    try {
      writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`); // the test runner's parent: alive
      let refused: unknown;
      try {
        ActivityJournal.open({ dir, maxBytes: 1 << 20, fsyncIntervalMs: 1_000, logger }).close();
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(JournalLockedError);
      expect((refused as Error).message).toMatch(new RegExp(`ACTIVITY_JOURNAL_DIR ${dir} is in use by another running process \\(pid ${process.ppid}\\)`));
      expect(segmentFiles(dir)).toEqual([]); // nothing was touched

      // Positive control: the same directory whose owner has exited is taken over.
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
      writeFileSync(join(dir, LOCK_FILE), `${deadPid}\n`);
      const journal = ActivityJournal.open({ dir, maxBytes: 1 << 20, fsyncIntervalMs: 1_000, logger });
      expect(segmentFiles(dir)).toHaveLength(1);
      journal.close();
    } finally {
      remove();
    }
  });
});
