// Ratings and feedback given while the database is away (issue 16): appended to a journal of their own (the
// activity journal's segment and record code, in a `feedback` subdirectory) and written, in order, once the
// database answers again. A record leaves the journal only once it is in the database (or refused for good),
// so a kill in between replays it at the next start: the writer is idempotent (see FeedbackService.replay).
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { ActivityJournal, type JournalPosition } from './activity-journal.ts';

export type DeferredFeedback =
  | { id: string; kind: 'rating'; userId: number; conversationKey: string; generationId?: number; rating: number; at: string }
  | { id: string; kind: 'text'; userId: number; conversationKey: string; text: string; at: string };

/** What the journal holds and what became of it since the start (the counters of this process). */
export interface DeferredFeedbackStats {
  pending: number;
  queued: number;
  written: number;
  refused: number;
}

type DeferredInput = DeferredFeedback extends infer R ? (R extends DeferredFeedback ? Omit<R, 'id' | 'at'> : never) : never;

export interface FeedbackJournalOptions {
  dir: string;
  maxBytes: number;
  fsyncIntervalMs: number;
  logger: Logger;
  /** First retry delay after the database was still away; doubles up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

const READ_BATCH = 50;

export class FeedbackJournal {
  private readonly journal: ActivityJournal<DeferredFeedback>;
  private cursor: JournalPosition = { segment: 0, offset: 0 };
  private writer: ((record: DeferredFeedback) => Promise<void>) | undefined;
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private readonly counters = { queued: 0, written: 0, refused: 0 };

  constructor(private readonly options: FeedbackJournalOptions) {
    this.journal = ActivityJournal.open<DeferredFeedback>({ dir: options.dir, maxBytes: options.maxBytes, fsyncIntervalMs: options.fsyncIntervalMs, logger: options.logger });
    this.journal.onWriteFailure = (records, error) => options.logger.error({ err: error, records: records.length }, 'feedback journal: write failed; these ratings are lost');
  }

  /** Records left by a previous process, to be written first. */
  get leftover(): number {
    return this.journal.leftover?.entries ?? 0;
  }

  /** Sets the database writer and starts writing what a previous process left. */
  start(writer: (record: DeferredFeedback) => Promise<void>): void {
    this.writer = writer;
    if (this.journal.stats().pending > 0) this.drainSoon(0);
  }

  /** Journals one rating or feedback (on disk within this event-loop turn) and schedules its write. */
  append(input: DeferredInput): DeferredFeedback {
    const record = { ...input, id: randomUUID(), at: new Date().toISOString() } as DeferredFeedback;
    this.journal.append(record);
    this.counters.queued += 1;
    this.drainSoon(this.delay());
    return record;
  }

  stats(): DeferredFeedbackStats {
    return { pending: this.journal.stats().pending, ...this.counters };
  }

  /** Writes everything journaled; resolves when caught up or the database is away. */
  async drain(): Promise<void> {
    this.draining ??= this.writeAll().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /**
   * Writes what is waiting (unless the database was away at the last try: a stop must not wait for its
   * timeouts), stops retrying and closes the journal; what is not in the database stays for the next start.
   */
  async close(): Promise<number> {
    if (this.closed) return 0;
    this.clearTimer();
    if (this.failures === 0) await this.drain();
    else await this.draining;
    this.closed = true;
    const kept = this.journal.close();
    if (kept > 0) this.options.logger.warn({ kept }, 'feedback journal: ratings not yet in the database are kept for the next start');
    return kept;
  }

  private async writeAll(): Promise<void> {
    const write = this.writer;
    if (!write || this.closed) return;
    for (;;) {
      const read = this.journal.read(this.cursor, READ_BATCH);
      if (read.entries.length === 0) {
        this.cursor = read.next;
        this.failures = 0;
        return;
      }
      for (const { entry, span } of read.entries) {
        try {
          await write(entry);
          this.counters.written += 1;
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            this.failures += 1;
            this.options.logger.warn({ err: error, pending: this.journal.stats().pending }, 'feedback journal: the database is still away; retrying later');
            this.drainSoon(this.delay());
            return;
          }
          // Refused for good (its content is gone, or was never this learner's): never retried.
          this.counters.refused += 1;
          this.options.logger.warn({ err: error, id: entry.id, userId: entry.userId, kind: entry.kind }, 'feedback journal: a deferred rating or feedback was refused');
        }
        this.journal.committed([span]);
        this.cursor = { segment: span.segment, offset: span.end };
      }
      this.cursor = read.next;
    }
  }

  private delay(): number {
    const base = this.options.retryBaseMs ?? 500;
    return Math.min(this.options.retryMaxMs ?? 5_000, base * 2 ** Math.max(0, this.failures - 1));
  }

  private drainSoon(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
