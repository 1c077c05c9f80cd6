// One journal record: [payload length: u32 LE][CRC-32 of the payload: u32 LE][payload: UTF-8 JSON].
// The checksum is zlib's CRC-32 (node:zlib crc32, Node ≥ 20.15): a record cut short by a crash (the process
// died mid-write) or damaged on disk is detected and never replayed half.
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;
/** Larger than any real entry (texts are cut long before): a bigger length field means a damaged header. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function encodeRecord(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const record = Buffer.allocUnsafe(HEADER_BYTES + length);
  record.write(json, HEADER_BYTES, 'utf8');
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(crc32(record.subarray(HEADER_BYTES)), 4);
  return record;
}

export interface DecodedRecord {
  /** Offsets in the chunk (add the chunk's file offset for positions in the file). */
  start: number;
  end: number;
  payload: string;
}

export interface DecodeResult {
  records: DecodedRecord[];
  /** Where decoding stopped: the first byte not consumed. */
  consumed: number;
  /** 'incomplete': the chunk ends inside a record; 'damaged': a bad length or checksum at `consumed`. */
  stop: 'end' | 'incomplete' | 'damaged' | 'limit';
}

/** Decodes whole records from `chunk`, at most `max`. */
export function decodeRecords(chunk: Buffer, max = Infinity): DecodeResult {
  const records: DecodedRecord[] = [];
  let at = 0;
  while (records.length < max) {
    if (at === chunk.length) return { records, consumed: at, stop: 'end' };
    if (chunk.length - at < HEADER_BYTES) return { records, consumed: at, stop: 'incomplete' };
    const length = chunk.readUInt32LE(at);
    if (length > MAX_RECORD_BYTES) return { records, consumed: at, stop: 'damaged' };
    const end = at + HEADER_BYTES + length;
    if (end > chunk.length) return { records, consumed: at, stop: 'incomplete' };
    const payload = chunk.subarray(at + HEADER_BYTES, end);
    if (crc32(payload) !== chunk.readUInt32LE(at + 4)) return { records, consumed: at, stop: 'damaged' };
    records.push({ start: at, end, payload: payload.toString('utf8') });
    at = end;
  }
  return { records, consumed: at, stop: 'limit' };
}

/** Counts whole records without checking checksums (start-up accounting); stops at the first incomplete one. */
export function countRecords(chunk: Buffer): number {
  let at = 0;
  let n = 0;
  while (chunk.length - at >= HEADER_BYTES) {
    const length = chunk.readUInt32LE(at);
    if (length > MAX_RECORD_BYTES || at + HEADER_BYTES + length > chunk.length) break;
    at += HEADER_BYTES + length;
    n++;
  }
  return n;
}
