// The buffered activity logger (seed 2, "Batch Logging Mechanism").
// The first entry is written at once; later entries wait in memory and are written in one batch when
// `batchSize` have accumulated or the oldest is `maxAgeMs` old. Beyond the seed: a failed write keeps its
// entries and retries with backoff (memory bounded by `maxBuffered`, oldest dropped with an error), and
// close() writes everything left, so a graceful stop or a database hiccup loses nothing.
// log() is synchronous and never throws: logging never delays or fails a learner's request.
import { timeOrderedId } from './ids.ts';
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
}

export interface ActivityLogStats {
  /** Entries accepted and not yet in the database: waiting in the buffer or in a write under way. */
  buffered: number;
  written: number;
  failedWrites: number;
  dropped: number;
  /** Entries the database refused for good (see ActivityLogSink.isPermanent), dropped with an error log. */
  rejected: number;
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

  constructor(
    private readonly sink: ActivityLogSink,
    private readonly options: ActivityLogOptions,
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
  }

  /** Queues an entry and returns its id at once (usable as a reference before it is written). */
  log(input: ActivityEntryInput): string {
    const timestamp = new Date();
    const entry: ActivityEntry = { ...input, id: timeOrderedId(timestamp.getTime()), timestamp };
    if (this.closed) {
      this.options.logger.error({ entryId: entry.id }, 'activity log closed: entry not accepted');
      return entry.id;
    }
    this.buffer.push(entry);
    this.dropOverflow();
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
    while (this.writing || this.buffer.length > 0) {
      if (!this.writing) this.startWrite();
      await this.writing;
      if (this.consecutiveFailures > 0 && this.buffer.length > 0) throw new Error('activity log: write failed');
    }
  }

  /** Stops accepting entries and writes the rest, retrying for up to `timeoutMs`. Returns how many were lost. */
  async close(timeoutMs = 15_000): Promise<number> {
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 || this.writing) {
      try {
        await this.flush();
      } catch {
        if (Date.now() >= deadline) break;
        await sleep(Math.min(this.backoffMs(), Math.max(0, deadline - Date.now())));
      }
    }
    this.clearTimer();
    const lost = this.buffer.length;
    if (lost > 0) {
      this.counters.dropped += lost;
      this.options.logger.error({ lost }, 'activity log: entries could not be written before shutdown');
    }
    return lost;
  }

  stats(): ActivityLogStats {
    return { buffered: this.buffer.length + this.inFlight, ...this.counters };
  }

  private startWrite(): void {
    if (this.writing || this.buffer.length === 0) return;
    this.clearTimer();
    // A backlog that built up while the previous write ran goes out in one statement (up to 10 batches):
    // fewer commits, the same rule (a write starts once a batch has accumulated or has grown old).
    const batch = this.buffer.splice(0, this.options.batchSize * BACKLOG_BATCHES_PER_WRITE);
    this.inFlight = batch.length;
    this.writing = this.sink.writeBatch(batch).then(
      () => {
        this.inFlight = 0;
        this.counters.written += batch.length;
        this.consecutiveFailures = 0;
      },
      (error: unknown) => {
        // A batch refused for its data (not for the database's availability) would be retried forever and
        // block everyone's entries behind it: write it entry by entry and drop only the refused entries.
        if (this.sink.isPermanent?.(error)) return this.writeOneByOne(batch, error);
        // Keep the entries, oldest first, and try again later.
        this.inFlight = 0;
        this.buffer.unshift(...batch);
        this.dropOverflow();
        this.counters.failedWrites += 1;
        this.consecutiveFailures += 1;
        this.options.logger.warn(
          { err: error, buffered: this.buffer.length, attempt: this.consecutiveFailures },
          'activity log: batch write failed; entries kept for retry',
        );
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.inFlight = 0;
      if (this.closed) return;
      if (this.consecutiveFailures > 0) this.armTimer(this.backoffMs());
      else if (this.buffer.length >= this.options.batchSize) this.startWrite();
      else if (this.buffer.length > 0) this.armTimer(this.remainingAge());
    });
  }

  /** After a permanent batch failure: each entry alone; refused ones are dropped, a transient failure keeps the rest. */
  private async writeOneByOne(batch: ActivityEntry[], batchError: unknown): Promise<void> {
    const refused: ActivityEntry[] = [];
    let kept = false;
    for (let i = 0; i < batch.length; i++) {
      this.inFlight = batch.length - i;
      try {
        await this.sink.writeBatch([batch[i]!]);
        this.counters.written += 1;
      } catch (error) {
        if (this.sink.isPermanent?.(error)) {
          refused.push(batch[i]!);
          continue;
        }
        // The database went away meanwhile: this entry and the rest wait for the usual retry.
        kept = true;
        this.inFlight = 0;
        this.buffer.unshift(...batch.slice(i));
        this.dropOverflow();
        this.counters.failedWrites += 1;
        this.consecutiveFailures += 1;
        this.options.logger.warn({ err: error, buffered: this.buffer.length, attempt: this.consecutiveFailures }, 'activity log: batch write failed; entries kept for retry');
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
