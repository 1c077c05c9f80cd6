// Text helpers for Discord's length limits: escaping, truncation and splitting at natural boundaries.
// Splitting and truncation work on the raw text and count what each character costs once escaped, so escaping
// never multiplies messages or fields: a long run of markdown characters (3 000 backslashes, a line of
// asterisks) is shown as inline code, which costs two backticks instead of a backslash per character.

/** Cuts to at most `max` UTF-16 units (Discord's counting is never stricter), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return safeSlice(text, max - 1) + '…';
}

/** Markdown characters escaped with a backslash (the backtick too: it opens inline code). */
const isMarkdown = (c: string | undefined) => c === '\\' || c === '*' || c === '_' || c === '~' || c === '`' || c === '|';
/** A run of at least this many backslashes, asterisks, underscores or tildes is shown as inline code instead. */
export const CODE_RUN = 8;

/**
 * The raw UTF-16 units that change in Discord markdown, each with what it becomes (the others stay as they
 * are). Core texts are plain (see TextBlock): markdown is escaped so "*", "_" or "# " show as typed. Linear on
 * purpose: discord.js's escapeMarkdown takes seconds on long runs without spaces.
 */
function escapes(text: string): Map<number, string> {
  const changed = new Map<number, string>();
  const piece = (i: number) => changed.get(i) ?? text[i]!;
  for (let i = 0; i < text.length; ) {
    if (!isMarkdown(text[i])) {
      i++;
      continue;
    }
    let end = i;
    // Not backticks (they would end the code) nor pipes (a spoiler ends at the first "||", code or not).
    while (end < text.length && isMarkdown(text[end]) && text[end] !== '`' && text[end] !== '|') end++;
    if (end - i >= CODE_RUN) {
      // Inside inline code Discord shows every character as typed (backslashes included).
      changed.set(i, '`' + text[i]);
      changed.set(end - 1, text[end - 1] + '`');
      i = end;
      continue;
    }
    const stop = Math.max(end, i + 1);
    for (let j = i; j < stop; j++) changed.set(j, '\\' + text[j]);
    i = stop;
  }
  for (let i = text.indexOf(']('); i >= 0; i = text.indexOf('](', i + 1)) changed.set(i, '\\]');
  for (const match of text.matchAll(/^( *)(>>>|>|#{1,3}|-#|[-+]|\d{1,9}\.)(?= )/gm)) {
    const start = match.index + match[1]!.length;
    const marker = match[2]!;
    if (marker.endsWith('.')) changed.set(start + marker.length - 1, '\\.');
    else changed.set(start, '\\' + piece(start));
  }
  return changed;
}

/** Core text as Discord markdown that shows exactly that text. */
export function plain(text: string): string {
  const changed = escapes(text);
  if (changed.size === 0) return text;
  let out = '';
  let from = 0;
  for (const i of [...changed.keys()].sort((a, b) => a - b)) {
    out += text.slice(from, i) + changed.get(i)!;
    from = i + 1;
  }
  return out + text.slice(from);
}

/** cost[i]: the escaped length of text.slice(0, i), each character escaped in the context of the whole text. */
function escapedCosts(text: string): Int32Array {
  const extra = new Int32Array(text.length + 1);
  for (const [i, piece] of escapes(text)) extra[i + 1] = piece.length - 1;
  for (let i = 1; i <= text.length; i++) extra[i] = extra[i - 1]! + extra[i]! + 1;
  return extra;
}

/** The longest raw prefix whose escaped cost (from `cost`, starting at `start`) is at most `max` units. */
function fittingPrefix(cost: Int32Array, start: number, max: number): number {
  let fit = 0;
  while (start + fit + 1 < cost.length && cost[start + fit + 1]! - cost[start]! <= max) fit++;
  return fit;
}

/** plain(text) cut to at most `max` units (ending with "…" when cut), never inside an escape or inline code. */
export function truncatePlain(text: string, max: number): string {
  const whole = plain(text);
  if (whole.length <= max) return whole;
  let end = fittingPrefix(escapedCosts(text), 0, max - 1);
  let out = plain(safeSlice(text, end));
  while (out.length > max - 1 && end > 0) out = plain(safeSlice(text, --end));
  return out + '…';
}

/**
 * Splits raw text into chunks whose plain() is at most `max` units each, returned escaped: at a paragraph
 * break if possible, else a line break, else a space, else anywhere (never inside a surrogate pair, an escape
 * or inline code, since every chunk is escaped on its own). Cuts are chosen by what the characters cost once
 * escaped, so escaping adds a unit per markdown character and at most two per run longer than CODE_RUN.
 */
export function splitPlain(text: string, max: number): string[] {
  // Costs in the context of the whole text; each chunk is escaped on its own and checked against `max`.
  const cost = escapedCosts(text);
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (cost[text.length]! - cost[start]! <= max + CODE_RUN) {
      const last = text.slice(start);
      const escaped = plain(last);
      if (escaped.length <= max) {
        if (last.trim()) chunks.push(escaped);
        break;
      }
    }
    const fit = fittingPrefix(cost, start, max);
    const window = text.slice(start, start + fit + 1);
    let cut = lastBoundary(window, '\n\n', fit);
    let skip = 2;
    if (cut <= 0) [cut, skip] = [lastBoundary(window, '\n', fit), 1];
    if (cut <= 0) [cut, skip] = [lastWhitespace(window, fit), 1];
    if (cut <= 0) [cut, skip] = [Math.max(1, safeCut(window, fit)), 0];
    let chunk = plain(window.slice(0, cut).trimEnd());
    // Escaped alone, a chunk may cost a little more (a run cut short, a marker at its start): give that back.
    while (chunk.length > max && cut > 1) {
      cut = Math.max(1, safeCut(window, cut - 1));
      skip = 0;
      chunk = plain(window.slice(0, cut).trimEnd());
    }
    if (chunk) chunks.push(chunk);
    start += cut + skip;
    while (text[start] === '\n') start++;
  }
  return chunks;
}

/** The chunk is everything before the separator, so a separator starting at `max` still fits. */
function lastBoundary(window: string, separator: string, max: number): number {
  return window.lastIndexOf(separator, max);
}

function lastWhitespace(window: string, max: number): number {
  for (let i = Math.min(max, window.length - 1); i > 0; i--) if (window[i] === ' ' || window[i] === '\t') return i;
  return -1;
}

/** `end`, or one less when that would split a surrogate pair. */
function safeCut(text: string, end: number): number {
  return isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
}

function safeSlice(text: string, end: number): string {
  return text.slice(0, Math.max(0, safeCut(text, end)));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
