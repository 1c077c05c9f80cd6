// Turns a neutral Reply's blocks into styled paragraphs, then into Telegram message parts.
import type { Block, CardBlock, Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { lineText, paragraphLines, type Paragraph, type Span, type SpanStyle } from './spans.ts';
import { splitIntoParts, MAX_PART_LENGTH, type MessagePart } from './split-message.ts';

/** Paragraphs are separated by blank lines in TextBlocks. */
function textParagraphs(text: string, style: SpanStyle = 'plain'): Paragraph[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => [{ text: paragraph, style }]);
}

// Markers that stand in for the label and value while the translated field template is split into spans.
const LABEL_MARK = '\u0001';
const VALUE_MARK = '\u0002';

/** "label: value" in the learner's language, with the value hidden in a spoiler when asked. */
function fieldSpans(field: CardBlock['fields'][number], t: Translator): Span[] {
  const template = t('telegram.field', { label: LABEL_MARK, value: VALUE_MARK });
  const valueStyle: SpanStyle = field.hidden ? 'spoiler' : 'plain';
  if (!template.includes(LABEL_MARK) || !template.includes(VALUE_MARK)) {
    return [{ text: field.label, style: 'bold' }, { text: ' ', style: 'plain' }, { text: field.value, style: valueStyle }];
  }
  const spans: Span[] = [];
  for (const piece of template.split(new RegExp(`(${LABEL_MARK}|${VALUE_MARK})`))) {
    if (piece === LABEL_MARK) spans.push({ text: field.label, style: 'bold' });
    else if (piece === VALUE_MARK) spans.push({ text: field.value, style: valueStyle });
    else if (piece !== '') spans.push({ text: piece, style: 'plain' });
  }
  return spans;
}

function cardParagraphs(card: CardBlock, t: Translator): Paragraph[] {
  const title: Span = { text: card.title, style: 'bold' };
  const description = card.description ? textParagraphs(card.description) : [];
  // The title sits on the line above the first paragraph of the description.
  const head: Paragraph = description.length > 0 ? [title, { text: '\n', style: 'plain' }, ...description.shift()!] : [title];
  const paragraphs: Paragraph[] = [head, ...description];
  if (card.fields.length > 0) {
    const lineBreak: Span = { text: '\n', style: 'plain' };
    paragraphs.push(card.fields.flatMap((field, i): Span[] => (i === 0 ? fieldSpans(field, t) : [lineBreak, ...fieldSpans(field, t)])));
  }
  if (card.footer) paragraphs.push(...textParagraphs(card.footer, 'italic'));
  return paragraphs;
}

export function blockParagraphs(block: Block, t: Translator): Paragraph[] {
  return block.kind === 'text' ? textParagraphs(block.text) : cardParagraphs(block, t);
}

export function replyParagraphs(reply: Reply, t: Translator): Paragraph[] {
  return reply.blocks.flatMap((block) => blockParagraphs(block, t));
}

/** The reply as HTML message parts, each below Telegram's length limit. */
export function renderReplyParts(reply: Reply, t: Translator, limit = MAX_PART_LENGTH): MessagePart[] {
  return splitIntoParts(replyParagraphs(reply, t), limit);
}

/** The reply as plain text (for answerCallbackQuery), cut to `max` characters with an ellipsis. */
export function renderPlainText(reply: Reply, t: Translator, max: number): string {
  const text = replyParagraphs(reply, t)
    .map((paragraph) => paragraphLines(paragraph).map(lineText).join('\n'))
    .join('\n\n');
  return truncate(text, max);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
