import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (version 7 layout: 48-bit Unix milliseconds first, then random bits).
 * New rows land at the end of the primary-key index instead of at random pages, which made
 * SQLite batch inserts markedly faster (docs/benchmarks.md). Built on randomUUID's pooled
 * randomness: about 0.1 µs, where the uuid package's v7 took 1.3 µs per id here.
 */
export function timeOrderedId(now = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (V: the RFC 4122 variant, kept)
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
