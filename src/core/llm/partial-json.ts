// Reads a JSON object that is still being streamed. `partial-json` (the parser the openai SDK vendors
// internally, published on its own as a small dependency-free package) closes what is open; we choose which
// kinds of value may be cut: strings only when the caller wants growing text (a role-play reply), never
// numbers, so a "12" is never shown for a "123".
import { Allow, parse } from 'partial-json';

export interface PartialParseOptions {
  /** Keep a string that is still being written (its text so far); otherwise an unfinished string is left out. */
  growingStrings: boolean;
}

/** The object written so far, or undefined when nothing object-like is there yet or the text is not JSON. */
export function parsePartialObject(text: string, options: PartialParseOptions): Record<string, unknown> | undefined {
  // Servers that ignore response_format may put a code fence or a sentence before the object.
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  const allow = Allow.OBJ | Allow.ARR | (options.growingStrings ? Allow.STR : 0);
  try {
    const value: unknown = parse(text.slice(start), allow);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // malformed so far (or cut inside an escape): wait for more text
  }
}
