// Styled text before it becomes Telegram HTML. Splitting happens on spans, so a long reply can be cut
// anywhere without breaking a tag: every part is converted to HTML on its own.

export type SpanStyle = 'plain' | 'bold' | 'italic' | 'spoiler';

export interface Span {
  text: string;
  style: SpanStyle;
}

/** One paragraph: spans whose text may contain '\n' (line breaks inside the paragraph). */
export type Paragraph = Span[];

/** One line: spans without '\n'. */
export type Line = Span[];

const TAGS: Record<SpanStyle, [string, string]> = {
  plain: ['', ''],
  bold: ['<b>', '</b>'],
  italic: ['<i>', '</i>'],
  spoiler: ['<tg-spoiler>', '</tg-spoiler>'],
};

/** Escapes text for Telegram's HTML parse mode (only &, < and > are special outside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function spanToHtml(span: Span): string {
  if (span.text === '') return '';
  const [open, close] = TAGS[span.style];
  return `${open}${escapeHtml(span.text)}${close}`;
}

export function lineLength(line: Line): number {
  return line.reduce((sum, span) => sum + span.text.length, 0);
}

export function lineText(line: Line): string {
  return line.map((span) => span.text).join('');
}

/** Splits a paragraph at its line breaks; a styled span crossing a break becomes one span per line. */
export function paragraphLines(paragraph: Paragraph): Line[] {
  const lines: Line[] = [[]];
  for (const span of paragraph) {
    span.text.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece !== '') lines[lines.length - 1]!.push({ text: piece, style: span.style });
    });
  }
  return lines;
}
