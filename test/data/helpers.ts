// Shared by the data tests: PNG header reading, an Anki-TSV reader, and a learner's id.
import type { TestCore } from '../support/core.ts';
import type { Incoming } from '../../src/commands/front-door.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, after checking the signature (throws if it is not a PNG). */
export function pngSize(data: Uint8Array): { width: number; height: number } {
  if (!PNG_SIGNATURE.every((byte, i) => data[i] === byte)) throw new Error('not a PNG signature');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const chunkType = new TextDecoder().decode(data.subarray(12, 16));
  if (chunkType !== 'IHDR' || view.getUint32(8) !== 13) throw new Error(`first chunk is ${chunkType}, not IHDR`);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Reads tab-separated records with CSV quoting (as Anki does); '#' lines before the first record are headers. */
export function readAnkiTsv(text: string): { headers: string[]; records: string[][] } {
  const headers: string[] = [];
  const records: string[][] = [];
  let i = 0;
  while (text.startsWith('#', i)) {
    const end = text.indexOf('\n', i);
    headers.push(text.slice(i, end));
    i = end + 1;
  }
  let record: string[] = [];
  let field = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const close = findClosingQuote(text, i + 1);
      field = text.slice(i + 1, close).replaceAll('""', '"');
      i = close + 1;
      continue;
    }
    if (c === '\t') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
    i += 1;
  }
  return { headers, records };
}

function findClosingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') i += 1;
      else return i;
    }
  }
  throw new Error('unterminated quoted field');
}

export async function learnerId(t: TestCore, who: Incoming): Promise<number> {
  return (await t.core.services.learners.resolve(who.user)).id;
}
