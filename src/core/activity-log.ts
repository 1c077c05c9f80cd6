// The buffered activity logger (seed 2, "Batch Logging Mechanism").
// The first entry is written at once; later entries wait in memory and are written in one batch when
// `batchSize` have accumulated or the oldest is `maxAgeMs` old. Beyond the seed: a failed write keeps its
// entries and retries with backoff (memory bounded by `maxBuffered`, oldest dropped with an error), and
// close() writes everything left, so a graceful stop or a database hiccup loses nothing.
// log() is synchronous and never throws: logging never delays or fails a learner's request.
//
// With a journal (src/core/journal/, issue 16) every entry is also appended to a local file within the same
// event-loop turn (a microtask after log(); see activity-journal.ts). Memory then holds at most one backlog write's worth of entries (batchSize × 10): when the database
// falls behind or goes away, the logger "spills": it forgets the entries in memory and reads them back from the
// journal, in order, once the database answers again (and at start, what a previous process left). The disk,
// not memory, bounds an outage (ACTIVITY_JOURNAL_MAX_MB).
import { timeOrderedId } from './ids.ts';
import type { ActivityJournal, JournalPosition, JournalSpan } from './journal/activity-journal.ts';
import type { Logger } from '../logger.ts';
import type { ActivityContentType, LogDirection } from './content-types.ts';

export interface ActivityEntryInput {
  userId: number;
  contentType: ActivityContentType;
  direction: LogDirection;
  queryText: string;
  targetLanguage: string;
  baseLanguage?: string | null;
  requestMetadata?: Record<string, unknown>;
  responseMetadata?: Record<string, unknown>;
}

export interface ActivityEntry extends ActivityEntryInput {
  id: string;
  timestamp: Date;
}

/** Where batches go (the activity-log repository). One call writes all entries or none. */
export interface ActivityLogSink {
  writeBatch(entries: ActivityEntry[]): Promise<void>;
  /**
   * Optional: whether a write error means the database refused the data itself (e.g. a foreign-key violation:
   * the learner was deleted by /forget while their generation was in flight), so the same batch can never
   * succeed. Such a batch is written entry by entry and only the refused entries are dropped.
   */
  isPermanent?(error: unknown): boolean;
}

export interface ActivityLogOptions {
  batchSize: number;
  maxAgeMs: number;
  maxBuffered: number;
  logger: Logger;
  /** First retry delay after a failed write; doubles up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The local journal (ACTIVITY_JOURNAL); absent: entries live in memory only until written. */
  journal?: ActivityJournal;
  /**
   * Entries per write when reading back from the journal (default batchSize × 10). SQLite's driver writes
   * synchronously, blocking the event loop for the whole batch: the app replays it in batches of batchSize.
   */
  replayBatch?: number;
}

export interface ActivityLogStats {
  /** Entries accepted and not yet in the database: waiting in the buffer or in a write under way. */
  buffered: number;
  written: number;
  failedWrites: number;
  dropped: number;
  /** Entries the database refused for good (see ActivityLogSink.isPermanent), dropped with an error log. */
  rejected: number;
  /** Present when the journal is on. */
  journal?: {
    bytes: number;
    segments: number;
    /** Entries in the journal not yet in the database. */
    pending: number;
    droppedSegments: number;
    droppedEntries: number;
    skippedRecords: number;
    /** Times the logger began reading entries back from the journal (at start, after an outage). */
    replays: number;
    /** Entries written to the database from the journal (not from memory). */
    replayedEntries: number;
    /** Whether entries are waiting on disk only (the database is behind or away). */
    spilled: boolean;
    /** Entries held in memory (waiting or in a write): at most batchSize × 10 with the journal. */
    memory: number;
  };
}

/** How many accumulated batches one write may carry when the writer has fallen behind. */
const BACKLOG_BATCHES_PER_WRITE = 10;

export class BufferedActivityLog {
  private buffer: ActivityEntry[] = [];
  private writing: Promise<void> | undefined;
  /** Entries taken out of the buffer by the write under way (still unwritten until it succeeds). */
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private firstWritten = false;
  private consecutiveFailures = 0;
  private closed = false;
  private readonly counters = { written: 0, failedWrites: 0, dropped: 0, rejected: 0 };
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly journal: ActivityJournal | undefined;
  /** Spilled: the next entry to write is read from the journal at this position; nothing waits in memory. */
  private cursor: JournalPosition | undefined;
  /** The batch of the write under way. */
  private writingBatch: ActivityEntry[] | undefined;
  private readonly replay = { replays: 0, replayedEntries: 0 };
  private journalBroken = false;

  constructor(
    private readonly sink: ActivityLogSink,
    private readonly options: ActivityLogOptions,
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.journal = options.journal;
    if (this.journal) {
      // A segment dropped for the disk bound may hold entries waiting in memory: read on from the journal instead.
      this.journal.onDrop = () => this.spill();
      // The disk failed (full, read-only): logging goes on in memory as without a journal, loudly. Entries that
      // were to wait on disk only (spilled) are taken back into memory.
      this.journal.onWriteFailure = (entries) => {
        if (!this.journalBroken) this.options.logger.error('activity journal: unusable; entries are kept in memory only from now on');
        this.journalBroken = true;
        if (this.cursor) this.buffer.push(...entries.filter((e) => !this.buffer.includes(e)));
      };
      const leftover = this.journal.leftover;
      if (leftover) {
        // A previous process's entries go first, in order, before this process's own.
        this.options.logger.info(
          { entries: leftover.entries, segments: leftover.segments, previousOwner: leftover.previousOwner },
          'activity journal: replaying entries left by a previous process',
        );
        this.firstWritten = true;
        this.cursor = leftover.from;
        this.replay.replays += 1;
        this.startWrite();
      }
    }
  }

  /** With the journal: memory holds at most one backlog write; beyond it entries wait on disk only. */
  private get memoryLimit(): number {
    return Math.min(this.options.batchSize * BACKLOG_BATCHES_PER_WRITE, this.options.maxBuffered);
  }

  /** Queues an entry and returns its id at once (usable as a reference before it is written). */
  log(input: ActivityEntryInput): string {
    const timestamp = new Date();
    // Fields listed, not `{ ...input, id, timestamp }`: on Node 20 each property added after a spread costs
    // ~1 µs (V8 leaves the clone's map without transitions), most of this call's time; one shape for every entry, too.
    const entry: ActivityEntry = {
      id: timeOrderedId(timestamp.getTime()),
      timestamp,
      userId: input.userId,
      contentType: input.contentType,
      direction: input.direction,
      queryText: input.queryText,
      targetLanguage: input.targetLanguage,
      baseLanguage: input.baseLanguage,
      requestMetadata: input.requestMetadata,
      responseMetadata: input.responseMetadata,
    };
    if (this.closed) {
      this.options.logger.error({ entryId: entry.id }, 'activity log closed: entry not accepted');
      return entry.id;
    }
    const journaled = this.journal !== undefined && !this.journalBroken;
    if (journaled) {
      this.journal!.append(entry); // written within this turn (src/core/journal/activity-journal.ts)
      if (this.cursor) {
        // Spilled: the entry waits on disk; the writer reads it back in turn.
        if (!this.writing && !this.timer) this.startWrite();
        return entry.id;
      }
    }
    this.buffer.push(entry);
    if (!journaled) this.dropOverflow();
    else if (this.buffer.length + this.inFlight > this.memoryLimit) {
      this.spill();
      if (!this.writing && !this.timer) this.startWrite();
      return entry.id;
    }
    if (!this.firstWritten) {
      this.firstWritten = true;
      this.startWrite();
    } else if (this.buffer.length >= this.options.batchSize && this.consecutiveFailures === 0) {
      this.startWrite();
    } else {
      this.armTimer(this.options.maxAgeMs);
    }
    return entry.id;
  }

  /** Writes every buffered entry now; resolves when they are written (throws if the database refuses). */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.writing || this.buffer.length > 0 || this.cursor) {
      if (!this.writing) this.startWrite();
      await this.writing;
      if (this.consecutiveFailures > 0 && (this.buffer.length > 0 || this.cursor)) throw new Error('activity log: write failed');
    }
  }

  /** Stops accepting entries and writes the rest, retrying for up to `timeoutMs`. Returns how many were lost. */
  async close(timeoutMs = 15_000): Promise<number> {
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 || this.writing || this.cursor) {
      try {
        await this.flush();
      } catch {
        if (Date.now() >= deadline) break;
        await sleep(Math.min(this.backoffMs(), Math.max(0, deadline - Date.now())));
      }
    }
    this.clearTimer();
    if (this.journal) {
      // What the database did not take stays in the journal: the next start replays it. Nothing is lost.
      const kept = this.journal.close();
      if (kept > 0) this.options.logger.warn({ kept }, 'activity journal: entries not yet in the database are kept in the journal for the next start');
      if (!this.journalBroken) return 0;
    }
    const lost = this.buffer.length;
    if (lost > 0) {
      this.counters.dropped += lost;
      this.options.logger.error({ lost }, 'activity log: entries could not be written before shutdown');
    }
    return lost;
  }

  stats(): ActivityLogStats {
    if (!this.journal) return { buffered: this.buffer.length + this.inFlight, ...this.counters };
    const j = this.journal.stats();
    const memory = this.buffer.length + this.inFlight;
    return {
      buffered: this.journalBroken ? memory : Math.max(j.pending, memory),
      ...this.counters,
      dropped: this.counters.dropped + j.droppedEntries,
      journal: { ...j, ...this.replay, spilled: this.cursor !== undefined, memory },
    };
  }

  /** Forgets the entries in memory (they are in the journal) and reads on from the first unwritten one. */
  private spill(): void {
    if (this.cursor || this.journalBroken) return;
    const first = this.writingBatch?.[0] ?? this.buffer[0];
    const span = first && this.journal?.spanOf(first);
    if (!span) return;
    this.cursor = { segment: span.segment, offset: span.start };
    this.buffer = [];
    this.replay.replays += 1;
    this.options.logger.warn({ pending: this.journal!.stats().pending }, 'activity log: the database is behind; entries wait in the journal and are read back in order');
  }

  /** The journal knows these entries are in the database (or refused for good); the spill cursor moves past them. */
  private settled(entries: readonly ActivityEntry[]): void {
    if (!this.journal || entries.length === 0) return;
    const spans: JournalSpan[] = [];
    for (const e of entries) {
      const span = this.journal?.spanOf(e);
      if (span) spans.push(span);
    }
    if (spans.length === 0) return;
    this.journal.committed(spans);
    const last = spans[spans.length - 1]!;
    const c = this.cursor;
    if (c && (c.segment < last.segment || (c.segment === last.segment && c.offset < last.end))) this.cursor = { segment: last.segment, offset: last.end };
  }

  /** Entries of a failed write: back to memory, or (spilled) left where the cursor will read them again. */
  private requeue(entries: ActivityEntry[]): void {
    if (this.cursor) {
      const span = entries[0] && this.journal?.spanOf(entries[0]);
      const c = this.cursor;
      if (span && (span.segment < c.segment || (span.segment === c.segment && span.start < c.offset))) this.cursor = { segment: span.segment, offset: span.start };
      return;
    }
    this.buffer.unshift(...entries);
    if (this.journal && !this.journalBroken && this.buffer.length > this.memoryLimit) this.spill();
    else this.dropOverflow();
  }

  /** The next batch: from the journal when spilled (undefined when caught up: back to memory), else from memory. */
  private takeBatch(): { batch: ActivityEntry[]; fromJournal: boolean; next?: JournalPosition } | undefined {
    const max = this.options.batchSize * BACKLOG_BATCHES_PER_WRITE;
    if (this.cursor) {
      const read = this.journal!.read(this.cursor, this.options.replayBatch ?? max);
      if (read.entries.length === 0) {
        // Caught up within this turn: later entries stay in memory again. (Nothing can be logged in between.)
        this.cursor = undefined;
        this.options.logger.info({ replayedEntries: this.replay.replayedEntries }, 'activity journal: caught up; entries are written from memory again');
        return undefined;
      }
      return { batch: read.entries.map((r) => r.entry), fromJournal: true, next: read.next };
    }
    if (this.buffer.length === 0) return undefined;
    // A backlog that built up while the previous write ran goes out in one statement (up to 10 batches):
    // fewer commits, the same rule (a write starts once a batch has accumulated or has grown old).
    return { batch: this.buffer.splice(0, max), fromJournal: false };
  }

  private startWrite(): void {
    if (this.writing) return;
    this.clearTimer();
    const taken = this.takeBatch();
    if (!taken) return;
    const { batch, fromJournal, next } = taken;
    this.inFlight = fromJournal ? 0 : batch.length;
    this.writingBatch = batch;
    this.writing = this.sink.writeBatch(batch).then(
      () => {
        this.inFlight = 0;
        this.counters.written += batch.length;
        if (fromJournal) this.replay.replayedEntries += batch.length;
        this.consecutiveFailures = 0;
        this.settled(batch);
        // Past what the read skipped too (a damaged record after the last entry), so it is not read again.
        if (next && this.cursor && before(this.cursor, next)) this.cursor = next;
      },
      (error: unknown) => {
        // A batch refused for its data (not for the database's availability) would be retried forever and
        // block everyone's entries behind it: write it entry by entry and drop only the refused entries.
        if (this.sink.isPermanent?.(error)) return this.writeOneByOne(batch, error, fromJournal);
        // Keep the entries, oldest first, and try again later.
        this.inFlight = 0;
        this.requeue(batch);
        this.counters.failedWrites += 1;
        this.consecutiveFailures += 1;
        this.options.logger.warn(
          { err: error, buffered: this.stats().buffered, attempt: this.consecutiveFailures },
          'activity log: batch write failed; entries kept for retry',
        );
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.writingBatch = undefined;
      this.inFlight = 0;
      if (this.closed) return;
      if (this.consecutiveFailures > 0) this.armTimer(this.backoffMs());
      // Replaying from the journal: batch after batch, each after one turn of the event loop (SQLite's driver
      // answers within the same turn, so without it a long replay would be one unbroken chain of microtasks).
      else if (this.cursor) setImmediate(() => this.startWrite());
      else if (this.buffer.length >= this.options.batchSize) this.startWrite();
      else if (this.buffer.length > 0) this.armTimer(this.remainingAge());
    });
  }

  /** After a permanent batch failure: each entry alone; refused ones are dropped, a transient failure keeps the rest. */
  private async writeOneByOne(batch: ActivityEntry[], batchError: unknown, fromJournal: boolean): Promise<void> {
    const refused: ActivityEntry[] = [];
    let kept = false;
    for (let i = 0; i < batch.length; i++) {
      this.inFlight = fromJournal ? 0 : batch.length - i;
      try {
        await this.sink.writeBatch([batch[i]!]);
        this.counters.written += 1;
        if (fromJournal) this.replay.replayedEntries += 1;
        this.settled([batch[i]!]);
      } catch (error) {
        if (this.sink.isPermanent?.(error)) {
          refused.push(batch[i]!);
          this.settled([batch[i]!]); // never to be retried: the journal may let it go
          continue;
        }
        // The database went away meanwhile: this entry and the rest wait for the usual retry.
        kept = true;
        this.inFlight = 0;
        this.requeue(batch.slice(i));
        this.counters.failedWrites += 1;
        this.consecutiveFailures += 1;
        this.options.logger.warn({ err: error, buffered: this.stats().buffered, attempt: this.consecutiveFailures }, 'activity log: batch write failed; entries kept for retry');
        break;
      }
    }
    this.inFlight = 0;
    if (!kept) this.consecutiveFailures = 0;
    if (refused.length > 0) {
      this.counters.rejected += refused.length;
      // Ids and users only: the entries' texts are learners' messages and stay out of the logs.
      this.options.logger.error(
        { err: batchError, rejected: refused.length, entries: refused.map((e) => ({ id: e.id, userId: e.userId, contentType: e.contentType, direction: e.direction })) },
        'activity log: entries refused by the database were dropped',
      );
    }
  }

  /** Keeps the unwritten entries (waiting and in flight) within maxBuffered by dropping the oldest waiting ones. */
  private dropOverflow(): void {
    const excess = Math.min(this.buffer.length, this.buffer.length + this.inFlight - this.options.maxBuffered);
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.counters.dropped += excess;
    this.options.logger.error({ dropped: excess, maxBuffered: this.options.maxBuffered }, 'activity log: buffer full, oldest entries dropped');
  }

  private backoffMs(): number {
    return Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.max(0, this.consecutiveFailures - 1));
  }

  private remainingAge(): number {
    const oldest = this.buffer[0];
    return oldest ? Math.max(0, this.options.maxAgeMs - (Date.now() - oldest.timestamp.getTime())) : this.options.maxAgeMs;
  }

  private armTimer(delayMs: number): void {
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startWrite();
    }, delayMs);
    // The timer must not keep a finished process alive; close() writes what is left.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function before(a: JournalPosition, b: JournalPosition): boolean {
  return a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
