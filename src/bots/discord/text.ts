// Text helpers for Discord's length limits: truncation and splitting at natural boundaries.
/** Cuts to at most `max` UTF-16 units (Discord's counting is never stricter), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return safeSlice(text, max - 1) + '…';
}

/**
 * Core texts are plain (see TextBlock): escape Discord markdown so "*", "_" or "# " show as typed.
 * Linear on purpose: discord.js's escapeMarkdown takes seconds on long runs without spaces.
 */
export function plain(text: string): string {
  return text
    .replace(/[\\*_~`|]/g, '\\$&')
    .replace(/\]\(/g, '\\](')
    .replace(/^( *)(>>>|>|#{1,3}|-#|[-+]|\d{1,9}\.)(?= )/gm, (_, indent: string, marker: string) =>
      marker.endsWith('.') ? `${indent}${marker.slice(0, -1)}\\.` : `${indent}\\${marker}`,
    );
}

/**
 * Splits text into chunks of at most `max` units: at a paragraph break if possible, else a line break,
 * else a space, else anywhere (never inside a surrogate pair or right after an escaping backslash).
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = lastBoundary(window, '\n\n', max);
    let skip = 2;
    if (cut <= 0) [cut, skip] = [lastBoundary(window, '\n', max), 1];
    if (cut <= 0) [cut, skip] = [lastWhitespace(window, max), 1];
    if (cut <= 0) [cut, skip] = [hardCut(rest, max), 0];
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk) chunks.push(chunk);
    rest = rest.slice(cut + skip).replace(/^\n+/, '');
  }
  if (rest.trim()) chunks.push(rest);
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

function hardCut(text: string, max: number): number {
  let cut = max;
  while (cut > 1 && text[cut - 1] === '\\') cut--;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return Math.max(1, cut);
}

function safeSlice(text: string, end: number): string {
  const cut = isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
  return text.slice(0, Math.max(0, cut));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
