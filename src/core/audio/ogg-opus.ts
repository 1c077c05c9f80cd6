// Reading just enough of an Ogg Opus file (RFC 3533 pages, RFC 7845 Opus mapping) to check it, tell its length
// and draw a rough waveform, without decoding any audio. Telegram and Discord voice notes are Ogg Opus.

const CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const OPUS_HEAD = 'OpusHead';
/** Opus granule positions always count 48 kHz samples, whatever the input rate was (RFC 7845 §4). */
const GRANULE_RATE = 48_000;

interface OggPage {
  granule: bigint;
  /** Sizes of the packets (or packet pieces) in this page, from the segment table. */
  segments: number[];
  bodyStart: number;
  bodyEnd: number;
}

function* pages(data: Uint8Array): Generator<OggPage> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + 27 <= data.length) {
    if (!CAPTURE.every((byte, i) => data[at + i] === byte)) return;
    const granule = view.getBigInt64(at + 6, true);
    const count = data[at + 26]!;
    if (at + 27 + count > data.length) return;
    const table = Array.from(data.subarray(at + 27, at + 27 + count));
    const bodyStart = at + 27 + count;
    const bodyEnd = bodyStart + table.reduce((a, b) => a + b, 0);
    if (bodyEnd > data.length) return;
    // Lacing: a packet ends at the first segment shorter than 255 bytes.
    const segments: number[] = [];
    let packet = 0;
    for (const size of table) {
      packet += size;
      if (size < 255) {
        segments.push(packet);
        packet = 0;
      }
    }
    if (packet > 0) segments.push(packet);
    yield { granule, segments, bodyStart, bodyEnd };
    at = bodyEnd;
  }
}

/** Whether the bytes start like an Ogg Opus stream: an Ogg page whose first packet is the OpusHead header. */
export function isOggOpus(data: Uint8Array): boolean {
  const first = pages(data).next();
  if (first.done) return false;
  const head = new TextDecoder().decode(data.subarray(first.value.bodyStart, first.value.bodyStart + 8));
  return head === OPUS_HEAD;
}

function preSkip(data: Uint8Array): number {
  const first = pages(data).next();
  if (first.done) return 0;
  const at = first.value.bodyStart + 10; // "OpusHead", version, channel count, then pre-skip (u16 LE)
  return at + 2 <= data.length ? data[at]! | (data[at + 1]! << 8) : 0;
}

/**
 * Length in seconds from the last page's granule position, minus the encoder's pre-skip. Returns 0 for bytes
 * that are not Ogg Opus (callers check isOggOpus first).
 */
export function oggOpusDurationSeconds(data: Uint8Array): number {
  let last = -1n;
  for (const page of pages(data)) if (page.granule >= 0n) last = page.granule;
  if (last <= 0n) return 0;
  const samples = Number(last) - preSkip(data);
  return Math.max(0, samples / GRANULE_RATE);
}

/**
 * A rough waveform (`samples` values 0–255) for Discord's voice-message preview. Without decoding, the size of
 * each Opus packet stands in for loudness: silence codes into a few bytes, speech into many.
 */
export function oggOpusWaveform(data: Uint8Array, samples = 256): Uint8Array {
  const sizes: number[] = [];
  let index = 0;
  for (const page of pages(data)) {
    for (const size of page.segments) {
      if (index++ >= 2) sizes.push(size); // skip OpusHead and OpusTags
    }
  }
  const out = new Uint8Array(samples);
  if (sizes.length === 0) return out;
  const means = Array.from({ length: samples }, (_, i) => {
    const from = Math.min(sizes.length - 1, Math.floor((i * sizes.length) / samples));
    const to = Math.max(from + 1, Math.floor(((i + 1) * sizes.length) / samples));
    const slice = sizes.slice(from, to);
    return slice.reduce((a, b) => a + b, 0) / slice.length;
  });
  const max = Math.max(...means);
  means.forEach((mean, i) => (out[i] = max > 0 ? Math.round((mean / max) * 255) : 0));
  return out;
}
