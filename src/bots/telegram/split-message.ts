// Packs paragraphs into message parts whose visible text stays under Telegram's 4096-character limit.
// Breaks fall between paragraphs where possible, then between lines, then between words; lengths are counted
// in UTF-16 code units, as Telegram counts them after entity parsing.
import { lineLength, paragraphLines, spanToHtml, type Line, type Paragraph, type Span } from './spans.ts';

/** Telegram allows 4096; a margin keeps us clear of any counting difference (e.g. trimmed whitespace). */
export const MAX_PART_LENGTH = 4000;

export interface MessagePart {
  html: string;
  /** The visible text (what Telegram counts), also the plain-text fallback if HTML is ever rejected. */
  text: string;
}

interface PartBuilder {
  spans: Span[];
  length: number;
}

export function splitIntoParts(paragraphs: Paragraph[], limit = MAX_PART_LENGTH): MessagePart[] {
  const parts: PartBuilder[] = [];
  let current: PartBuilder = { spans: [], length: 0 };
  const flush = () => {
    if (current.length > 0) parts.push(current);
    current = { spans: [], length: 0 };
  };
  const append = (separator: string, line: Line) => {
    const sep = current.length === 0 ? '' : separator;
    if (sep) current.spans.push({ text: sep, style: 'plain' });
    current.spans.push(...line);
    current.length += sep.length + lineLength(line);
  };
  const fits = (separator: string, length: number) =>
    (current.length === 0 ? 0 : current.length + separator.length) + length <= limit;

  for (const paragraph of paragraphs) {
    const lines = paragraphLines(paragraph).filter((line) => lineLength(line) > 0);
    if (lines.length === 0) continue;
    const paragraphLength = lines.reduce((sum, line) => sum + lineLength(line), 0) + lines.length - 1;
    if (!fits('\n\n', paragraphLength) && paragraphLength <= limit) flush();
    lines.forEach((line, index) => {
      const separator = index === 0 ? '\n\n' : '\n';
      for (const piece of splitLongLine(line, limit)) {
        if (!fits(separator, lineLength(piece))) flush();
        append(separator, piece);
      }
    });
  }
  flush();
  return parts.map(toPart).filter((part) => part.text.trim() !== '');
}

function toPart(builder: PartBuilder): MessagePart {
  return { html: builder.spans.map(spanToHtml).join(''), text: builder.spans.map((s) => s.text).join('') };
}

/** Cuts a line longer than `limit` into pieces, at the last whitespace before the limit when there is one. */
export function splitLongLine(line: Line, limit: number): Line[] {
  if (lineLength(line) <= limit) return [line];
  const pieces: Line[] = [];
  let remaining = line;
  while (lineLength(remaining) > limit) {
    const cut = findCut(remaining, limit);
    pieces.push(sliceLine(remaining, 0, cut.end));
    remaining = sliceLine(remaining, cut.resume, lineLength(remaining));
  }
  if (lineLength(remaining) > 0) pieces.push(remaining);
  return pieces;
}

function findCut(line: Line, limit: number): { end: number; resume: number } {
  const text = line.map((span) => span.text).join('');
  const window = text.slice(0, limit + 1);
  const space = window.search(/\s\S*$/);
  // Only break at a space in the last fifth of the window; otherwise a long "word" (a URL) is cut hard.
  if (space > limit * 0.8) return { end: space, resume: space + 1 };
  let end = limit;
  // Never split a surrogate pair (emoji and other astral characters).
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { end, resume: end };
}

function sliceLine(line: Line, start: number, end: number): Line {
  const result: Line = [];
  let offset = 0;
  for (const span of line) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + span.text.length);
    if (to > from) result.push({ text: span.text.slice(from - offset, to - offset), style: span.style });
    offset += span.text.length;
  }
  return result;
}
