// Parses Telegram's HTML parse mode the way the Bot API does, well enough to count visible characters and to
// reject what Telegram rejects: unknown tags, unbalanced tags, a bare '<'.

export interface ParsedEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

export class HtmlParseError extends Error {}

const TAG_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
  span: 'spoiler',
};

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*>/;
const ATTRIBUTE = /([a-zA-Z_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
const ENTITY = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function byteOffset(html: string, index: number): number {
  return Buffer.byteLength(html.slice(0, index));
}

function attributes(raw: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of raw.matchAll(ATTRIBUTE)) result[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? '';
  return result;
}

/** Returns the visible text and its entities; throws HtmlParseError with Telegram's wording. */
export function parseTelegramHtml(html: string): { text: string; entities: ParsedEntity[] } {
  let text = '';
  const entities: ParsedEntity[] = [];
  const stack: Array<{ name: string; start: number; type: string; url?: string }> = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const match = TAG.exec(html.slice(i));
      if (!match) throw new HtmlParseError(`Unsupported start tag "" at byte offset ${byteOffset(html, i)}`);
      const [whole, slash, rawName, rawAttributes] = match;
      const name = rawName!.toLowerCase();
      if (slash) {
        const open = stack.pop();
        if (!open) throw new HtmlParseError(`Unexpected end tag at byte offset ${byteOffset(html, i)}`);
        if (open.name !== name) {
          throw new HtmlParseError(`Unmatched end tag at byte offset ${byteOffset(html, i)}, expected "</${open.name}>", found "</${name}>"`);
        }
        if (text.length > open.start) {
          entities.push({ type: open.type, offset: open.start, length: text.length - open.start, ...(open.url ? { url: open.url } : {}) });
        }
      } else {
        const type = TAG_TYPES[name];
        const attrs = attributes(rawAttributes ?? '');
        if (!type || (name === 'span' && attrs.class !== 'tg-spoiler')) {
          throw new HtmlParseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(html, i)}`);
        }
        stack.push({ name, start: text.length, type, ...(name === 'a' && attrs.href ? { url: attrs.href } : {}) });
      }
      i += whole.length;
      continue;
    }
    if (ch === '&') {
      const match = ENTITY.exec(html.slice(i));
      if (match) {
        const body = match[1]!;
        text += body.startsWith('#x')
          ? String.fromCodePoint(parseInt(body.slice(2), 16))
          : body.startsWith('#')
            ? String.fromCodePoint(Number(body.slice(1)))
            : NAMED[body]!;
        i += match[0].length;
        continue;
      }
    }
    text += ch;
    i += 1;
  }
  const open = stack.pop();
  if (open) throw new HtmlParseError(`Can't find end tag corresponding to start tag "${open.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}
