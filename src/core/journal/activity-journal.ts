// The activity log's local journal (issue 16), the way log shippers buffer on disk (Fluent Bit's filesystem
// buffer, Vector's disk buffers): every entry is appended to a segment file before log() returns, written
// to the database later in batches, and a segment is deleted only once every entry in it is in the database.
//
// Appends happen within the same event-loop turn: append() queues the entry, and the entries queued by one
// piece of synchronous code are encoded and written with one write() system call (fs.writeSync on an open
// descriptor, into the page cache) in a microtask (queueMicrotask), i.e. right after the code that called
// log() returns to its caller's await, before any continuation queued after it runs: the reply to the learner
// is always at least one await later, so the entry is in the page cache before the reply leaves. Not inside
// log() itself: JSON-encoding an entry costs several times what log() costs without the journal
// (docs/benchmarks.md), and it is one system call per burst instead of per entry. (process.nextTick would
// wait for the whole microtask queue to drain, which a synchronous SQLite query chain can make long.)
// A SIGKILL, an OOM kill or a crash loses only entries logged in the very microtask it strikes. A power cut can lose what the kernel has not flushed yet: the data is flushed with fdatasync every
// `fsyncIntervalMs` (default 1 s, off the event loop), as Fluent Bit and Vector do; 0 flushes after every write.
//
// Layout: <dir>/segment-<12-digit sequence>.log, records as in record-codec.ts; <dir>/journal.lock names the
// owning process. A new process never appends to an old segment: it replays them (read()) and opens its own.
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, readdirSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.ts';
import type { ActivityEntry } from '../activity-log.ts';
import { lockDirectory, type DirectoryLock } from './directory-lock.ts';
import { countRecords, decodeRecords, encodeRecord, HEADER_BYTES, MAX_RECORD_BYTES } from './record-codec.ts';

/** A point in the journal: byte `offset` of segment number `segment`. */
export interface JournalPosition {
  segment: number;
  offset: number;
}

/** Where one entry's record lies. */
export interface JournalSpan {
  segment: number;
  start: number;
  end: number;
}

export interface ActivityJournalOptions<T extends object = ActivityEntry> {
  dir: string;
  /** Turns a decoded record back into an entry; by default an activity entry (its timestamp a Date again). */
  revive?: (parsed: unknown) => T;
  /** Above it the oldest segments are dropped (error log, dropped counters). */
  maxBytes: number;
  /** A segment is closed and a new one started beyond this size; default maxBytes / 8 within 16 KiB – 8 MiB. */
  segmentBytes?: number;
  /** fdatasync period (ms); 0: after every append. */
  fsyncIntervalMs: number;
  logger: Logger;
}

export interface ActivityJournalStats {
  bytes: number;
  segments: number;
  /** Entries in the journal not yet in the database. */
  pending: number;
  droppedSegments: number;
  droppedEntries: number;
  /** Damaged or torn records skipped (with a warning) while reading. */
  skippedRecords: number;
}

interface Segment {
  seq: number;
  bytes: number;
  entries: number;
}

const SEGMENT_NAME = /^segment-(\d{12})\.log$/;
const READ_CHUNK_BYTES = 1024 * 1024;

export class ActivityJournal<T extends object = ActivityEntry> {
  private readonly segments: Segment[] = [];
  private active!: Segment;
  private fd = -1;
  private dirty = false;
  private fsyncTimer: NodeJS.Timeout | undefined;
  /** Everything before this position is in the database (or was dropped). */
  private watermark: JournalPosition;
  private pending = 0;
  private readonly counters = { droppedSegments: 0, droppedEntries: 0, skippedRecords: 0 };
  private readonly segmentBytes: number;
  private readonly revive: (parsed: unknown) => T;
  private closed = false;
  private readonly skipped = new Set<string>();
  /** Entries appended in this turn, written together by writeQueued(). */
  private queue: T[] = [];
  private scheduled = false;
  private readonly spans = new WeakMap<T, JournalSpan>();
  private readonly writeQueuedSoon = () => this.writeQueued();
  /** Told when a write to the journal failed: these entries are not in it (the logger keeps them in memory). */
  onWriteFailure: ((entries: T[], error: unknown) => void) | undefined;
  /** Told when a segment is dropped for the disk bound (before its file is gone from reads). */
  onDrop: ((segment: number, entries: number) => void) | undefined;
  /** What a previous process left behind (to be replayed before anything else); undefined when nothing. */
  readonly leftover: { from: JournalPosition; entries: number; segments: number; previousOwner: number | undefined } | undefined;

  private constructor(
    private readonly options: ActivityJournalOptions<T>,
    private readonly lock: DirectoryLock,
  ) {
    this.revive = options.revive ?? (reviveActivityEntry as unknown as (parsed: unknown) => T);
    this.segmentBytes = options.segmentBytes ?? Math.min(8 * 1024 * 1024, Math.max(16 * 1024, Math.floor(options.maxBytes / 8)));
    for (const name of readdirSync(options.dir)) {
      const match = SEGMENT_NAME.exec(name);
      if (!match) continue;
      const seq = Number(match[1]);
      const bytes = statSync(this.path(seq)).size;
      this.segments.push({ seq, bytes, entries: countSegment(this.path(seq), bytes) });
    }
    this.segments.sort((a, b) => a.seq - b.seq);
    const left = this.segments.reduce((n, s) => n + s.entries, 0);
    this.pending = left;
    const first = this.segments[0];
    this.leftover = first ? { from: { segment: first.seq, offset: 0 }, entries: left, segments: this.segments.length, previousOwner: lock.takenOverFrom } : undefined;
    this.openSegment((this.segments.at(-1)?.seq ?? 0) + 1);
    this.watermark = { segment: (first ?? this.active).seq, offset: 0 };
    if (options.fsyncIntervalMs > 0) {
      this.fsyncTimer = setInterval(() => this.syncSoon(), options.fsyncIntervalMs);
      this.fsyncTimer.unref();
    }
  }

  /** Locks `dir` (refusing if another live process holds it) and opens a new segment for this process. */
  static open<T extends object = ActivityEntry>(options: ActivityJournalOptions<T>): ActivityJournal<T> {
    mkdirSync(options.dir, { recursive: true });
    const lock = lockDirectory(options.dir);
    try {
      return new ActivityJournal<T>(options, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Queues one entry; it is written to the segment file within this event-loop turn (see the top). */
  append(entry: T): void {
    if (this.closed) throw new Error('activity journal closed');
    this.queue.push(entry);
    this.pending += 1;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.writeQueuedSoon);
    }
  }

  /** Where an entry lies (writing the queue first if it is still there); undefined if it never made it to disk. */
  spanOf(entry: T): JournalSpan | undefined {
    if (this.queue.length > 0) this.writeQueued();
    return this.spans.get(entry);
  }

  /** Writes the queued entries: one write() system call per segment they fill (usually one). */
  writeQueued(): void {
    this.scheduled = false;
    if (this.queue.length === 0 || this.closed) return;
    const entries = this.queue;
    this.queue = [];
    const records = entries.map((e) => encodeRecord(JSON.stringify(e)));
    let first = 0;
    while (first < records.length) {
      // As many records as fit in the active segment (at least one), so a burst fills segments in order and
      // the disk bound drops its oldest part, never its newest.
      const segment = this.active;
      let last = first;
      let bytes = 0;
      while (last < records.length && (last === first || segment.bytes + bytes + records[last]!.length <= this.segmentBytes)) bytes += records[last++]!.length;
      const data = last - first === 1 ? records[first]! : Buffer.concat(records.slice(first, last), bytes);
      try {
        let written = 0;
        while (written < data.length) written += writeSync(this.fd, data, written, data.length - written);
        if (this.options.fsyncIntervalMs === 0) fdatasyncSync(this.fd);
        else this.dirty = true;
      } catch (error) {
        // The disk failed (full, read-only). Whatever part of the buffer made it is a torn record for the reader.
        const lost = entries.slice(first);
        this.pending -= lost.length;
        this.options.logger.error({ err: error, entries: lost.length }, 'activity journal: write failed');
        this.onWriteFailure?.(lost, error);
        return;
      }
      let offset = segment.bytes;
      for (let i = first; i < last; i++) {
        const end = offset + records[i]!.length;
        this.spans.set(entries[i]!, { segment: segment.seq, start: offset, end });
        offset = end;
      }
      segment.bytes = offset;
      segment.entries += last - first;
      if (segment.bytes >= this.segmentBytes) this.rotate();
      first = last;
    }
    if (this.totalBytes() > this.options.maxBytes) this.dropOldest();
  }

  /**
   * Up to `max` entries from `from` on, in order, with where each lies, and the position after them.
   * `caughtUp`: nothing more to read now (the end of this process's own segment).
   */
  read(from: JournalPosition, max: number): { entries: Array<{ entry: T; span: JournalSpan }>; next: JournalPosition; caughtUp: boolean } {
    this.writeQueued();
    let position = this.normalize(from);
    const entries: Array<{ entry: T; span: JournalSpan }> = [];
    while (entries.length < max) {
      const segment = this.segments.find((s) => s.seq === position.segment);
      if (!segment) break; // (normalize never points past the active segment)
      const remaining = segment.bytes - position.offset;
      if (remaining <= 0) {
        if (segment === this.active) break;
        position = this.normalize({ segment: segment.seq + 1, offset: 0 });
        continue;
      }
      let chunk = readAt(this.path(segment.seq), position.offset, Math.min(remaining, READ_CHUNK_BYTES));
      let decoded = decodeRecords(chunk, max - entries.length);
      if (decoded.records.length === 0 && decoded.stop === 'incomplete' && chunk.length < remaining && chunk.length >= HEADER_BYTES) {
        // One record larger than a chunk: read exactly it.
        chunk = readAt(this.path(segment.seq), position.offset, Math.min(remaining, HEADER_BYTES + chunk.readUInt32LE(0)));
        decoded = decodeRecords(chunk, 1);
      }
      for (const record of decoded.records) {
        const entry = this.revive(JSON.parse(record.payload));
        const span = { segment: segment.seq, start: position.offset + record.start, end: position.offset + record.end };
        this.spans.set(entry, span);
        entries.push({ entry, span });
      }
      position = { segment: segment.seq, offset: position.offset + decoded.consumed };
      // 'incomplete' at a chunk boundary only means "read on"; at the end of the file it is a torn record.
      const damaged = decoded.stop === 'damaged' || (decoded.stop === 'incomplete' && chunk.length === remaining);
      if (damaged) {
        if (segment === this.active) break; // (our own appends are whole records; never expected)
        this.skipRest(segment, position.offset, decoded.stop);
        position = this.normalize({ segment: segment.seq + 1, offset: 0 });
      }
    }
    const caughtUp = position.segment === this.active.seq && position.offset >= this.active.bytes;
    return { entries, next: position, caughtUp };
  }

  /** These entries are in the database: advances the watermark and deletes segments wholly behind it. */
  committed(spans: readonly JournalSpan[]): void {
    for (const span of spans) {
      if (!after(span, this.watermark)) continue;
      this.pending -= 1;
      this.watermark = { segment: span.segment, offset: span.end };
    }
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const behind = oldest.seq < this.watermark.segment || (oldest.seq === this.watermark.segment && this.watermark.offset >= oldest.bytes);
      if (!behind) break;
      this.segments.shift();
      this.unlink(oldest.seq);
      if (this.watermark.segment <= oldest.seq) this.watermark = { segment: this.segments[0]!.seq, offset: 0 };
    }
    if (this.pending < 0) this.pending = 0;
  }

  stats(): ActivityJournalStats {
    return { bytes: this.totalBytes(), segments: this.segments.length, pending: this.pending, ...this.counters };
  }

  /**
   * Flushes and closes the journal and releases the directory. Segments are deleted when every entry is in
   * the database; otherwise they stay for the next start to replay. Returns the entries kept.
   */
  close(): number {
    if (this.closed) return this.pending;
    this.writeQueued();
    this.closed = true;
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    try {
      fdatasyncSync(this.fd);
    } catch {
      // nothing written to flush, or the disk is gone: the entries are reported kept either way
    }
    closeSync(this.fd);
    const kept = this.pending;
    if (kept === 0) for (const segment of this.segments.splice(0)) this.unlink(segment.seq);
    this.lock.release();
    return kept;
  }

  private openSegment(seq: number): void {
    this.fd = openSync(this.path(seq), 'a');
    this.active = { seq, bytes: 0, entries: 0 };
    this.segments.push(this.active);
  }

  private rotate(): void {
    try {
      fdatasyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
    this.dirty = false;
    this.openSegment(this.active.seq + 1);
  }

  /** Drops the oldest closed segments until the journal fits `maxBytes` again: an error log and counters, never silent. */
  private dropOldest(): void {
    while (this.totalBytes() > this.options.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      let unwritten = oldest.entries;
      if (this.watermark.segment > oldest.seq) unwritten = 0;
      else if (this.watermark.segment === oldest.seq) unwritten = countRecords(readAt(this.path(oldest.seq), this.watermark.offset, Math.max(0, oldest.bytes - this.watermark.offset)));
      this.onDrop?.(oldest.seq, unwritten);
      this.unlink(oldest.seq);
      if (this.watermark.segment <= oldest.seq) this.watermark = { segment: this.segments[0]!.seq, offset: 0 };
      this.pending -= unwritten;
      this.counters.droppedSegments += 1;
      this.counters.droppedEntries += unwritten;
      this.options.logger.error(
        { segment: oldest.seq, droppedEntries: unwritten, droppedEntriesTotal: this.counters.droppedEntries, maxBytes: this.options.maxBytes },
        'activity journal: over ACTIVITY_JOURNAL_MAX_MB, oldest segment dropped with entries not yet in the database',
      );
    }
  }

  /** A damaged or torn record: it and the rest of its segment are skipped, with a warning; never replayed half. */
  private skipRest(segment: Segment, offset: number, why: string): void {
    // A read retried after a failed write meets the same damage again: counted and reported once.
    const key = `${segment.seq}:${offset}`;
    if (this.skipped.has(key)) return;
    this.skipped.add(key);
    const rest = readAt(this.path(segment.seq), offset, Math.max(0, segment.bytes - offset));
    // countRecords stops at the damage: records after a bad checksum were counted at start-up, a torn tail was not.
    const counted = why === 'damaged' ? Math.max(0, segment.entries - this.countBefore(segment, offset)) : 0;
    this.pending -= counted;
    this.counters.skippedRecords += 1;
    this.options.logger.warn(
      { segment: segment.seq, offset, bytes: rest.length, reason: why === 'damaged' ? 'checksum or length mismatch' : 'torn last record (the process died mid-write)' },
      'activity journal: damaged record skipped; the entries before it were replayed',
    );
  }

  private countBefore(segment: Segment, offset: number): number {
    return countRecords(readAt(this.path(segment.seq), 0, offset));
  }

  /** The first existing position at or after `from`. */
  private normalize(from: JournalPosition): JournalPosition {
    for (const segment of this.segments) {
      if (segment.seq < from.segment) continue;
      return segment.seq === from.segment ? from : { segment: segment.seq, offset: 0 };
    }
    return { segment: this.active.seq, offset: this.active.bytes };
  }

  private syncSoon(): void {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    fdatasync(this.fd, () => {}); // off the event loop; a failure here shows up at the next append
  }

  private totalBytes(): number {
    let bytes = 0;
    for (const segment of this.segments) bytes += segment.bytes;
    return bytes;
  }

  private path(seq: number): string {
    return join(this.options.dir, `segment-${String(seq).padStart(12, '0')}.log`);
  }

  private unlink(seq: number): void {
    try {
      unlinkSync(this.path(seq));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function reviveActivityEntry(parsed: unknown): ActivityEntry {
  const entry = parsed as ActivityEntry & { timestamp: string };
  return { ...entry, timestamp: new Date(entry.timestamp) };
}

function after(span: JournalSpan, position: JournalPosition): boolean {
  return span.segment > position.segment || (span.segment === position.segment && span.end > position.offset);
}

function readAt(path: string, offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  if (length === 0) return buffer;
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return read === length ? buffer : buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Whole records in a segment file, read a chunk at a time (a full journal is never held in memory at once). */
function countSegment(path: string, bytes: number): number {
  let offset = 0;
  let n = 0;
  while (bytes - offset >= HEADER_BYTES) {
    const chunk = readAt(path, offset, Math.min(READ_CHUNK_BYTES, bytes - offset));
    let at = 0;
    while (chunk.length - at >= HEADER_BYTES) {
      const length = chunk.readUInt32LE(at);
      if (length > MAX_RECORD_BYTES) return n; // damaged: reading stops here too
      if (at + HEADER_BYTES + length > chunk.length) break;
      at += HEADER_BYTES + length;
      n++;
    }
    if (at === 0) {
      // One record larger than a chunk (or torn at the end of the file).
      const length = chunk.readUInt32LE(0);
      if (length > MAX_RECORD_BYTES || offset + HEADER_BYTES + length > bytes) return n;
      at = HEADER_BYTES + length;
      n++;
    }
    offset += at;
  }
  return n;
}
