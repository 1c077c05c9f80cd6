// Rendering and splitting of Replies, checked with the fake's Telegram HTML parser.
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/core/i18n/index.ts';
import { createLogger } from '../../src/logger.ts';
import type { Reply } from '../../src/core/types.ts';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import { renderPlainText, renderReplyParts } from '../../src/bots/telegram/render-reply.ts';
import { buildKeyboard } from '../../src/bots/telegram/keyboard.ts';
import { splitIntoParts } from '../../src/bots/telegram/split-message.ts';
import { parseTelegramHtml } from '../support/fake-telegram/index.ts';

const t = createI18n().translator('en');
const logs: string[] = [];
const log = createLogger('debug', { write: (line: string) => void logs.push(line) });

function visible(html: string): string {
  return parseTelegramHtml(html).text;
}

describe('rendering replies as Telegram HTML', () => {
  it('escapes text and keeps paragraphs', () => {
    const [part] = renderReplyParts({ blocks: [{ kind: 'text', text: 'a < b & c > d\n\nsecond <b>not bold</b>' }] }, t);
    expect(part!.html).toBe('a &lt; b &amp; c &gt; d\n\nsecond &lt;b&gt;not bold&lt;/b&gt;');
    expect(visible(part!.html)).toBe('a < b & c > d\n\nsecond <b>not bold</b>');
  });

  it('renders a card: bold title, description, label: value fields, hidden values as spoilers, italic footer', () => {
    const reply: Reply = {
      blocks: [
        {
          kind: 'card',
          title: 'el perro',
          description: 'A noun <m>',
          fields: [
            { label: 'Example', value: 'El perro ladra.' },
            { label: 'Translation', value: 'the dog', hidden: true },
          ],
          footer: 'Card 1 of 5',
        },
      ],
    };
    const [part] = renderReplyParts(reply, t);
    expect(part!.html).toBe(
      '<b>el perro</b>\nA noun &lt;m&gt;\n\n<b>Example</b>: El perro ladra.\n<b>Translation</b>: <tg-spoiler>the dog</tg-spoiler>\n\n<i>Card 1 of 5</i>',
    );
    const parsed = parseTelegramHtml(part!.html);
    expect(parsed.entities.map((e) => e.type)).toEqual(['bold', 'bold', 'bold', 'spoiler', 'italic']);
  });

  it('splits a 6000-character reply into parts below 4096 at paragraph boundaries, each valid HTML', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `${i} <${'x'.repeat(190)}>`);
    // Pad the last paragraph so the whole reply is exactly 6000 characters.
    paragraphs[29] += ' & more'.padEnd(6000 - paragraphs.join('\n\n').length, '.');
    const text = paragraphs.join('\n\n');
    expect(text.length).toBe(6000);
    const parts = renderReplyParts({ blocks: [{ kind: 'text', text }] }, t);
    expect(parts.length).toBe(2);
    for (const part of parts) {
      const shown = visible(part.html);
      expect(shown.length).toBeLessThan(4096);
      expect(shown).toBe(part.text);
      // Each part starts and ends with a whole paragraph.
      expect(paragraphs).toContain(shown.split('\n\n')[0]);
      expect(paragraphs).toContain(shown.split('\n\n').at(-1));
    }
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
  });

  it('splits one huge paragraph at lines, then at words, closing and reopening tags', () => {
    const longLine = Array.from({ length: 1500 }, (_, i) => `w${i}`).join(' '); // ~7.8k chars, no newline
    const reply: Reply = { blocks: [{ kind: 'card', title: 'T', fields: [{ label: 'secret', value: longLine, hidden: true }] }] };
    const parts = renderReplyParts(reply, t);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      const parsed = parseTelegramHtml(part.html); // throws on broken tags
      expect(parsed.text.length).toBeLessThanOrEqual(4000);
    }
    expect(parts[1]!.html.startsWith('<tg-spoiler>')).toBe(true);
    // No word was cut in two.
    const words = parts.flatMap((p) => p.text.split(/\s+/)).filter((w) => w.startsWith('w'));
    expect(words.filter((w) => !/^w\d+$/.test(w))).toEqual([]);
  });

  it('never cuts an emoji (surrogate pair) in a hard split', () => {
    const parts = splitIntoParts([[{ text: '😀'.repeat(3000), style: 'plain' }]]);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(4000);
      expect(part.text).toMatch(/^(😀)+$/u);
    }
    expect(parts.map((p) => p.text).join('')).toBe('😀'.repeat(3000));
  });

  it('renders plain text for callback answers, truncated to 200 characters', () => {
    const text = renderPlainText({ blocks: [{ kind: 'text', text: 'y'.repeat(500) }] }, t, 200);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('inline keyboards', () => {
  it('adds a 1–5 rating row and a Save button, all callback data ≤ 64 bytes', () => {
    const keyboard = buildKeyboard({ blocks: [], rateGenerationId: 987654321012, buttons: [[{ label: 'Reveal', data: encodeAction({ kind: 'reveal', generationId: 987654321012, card: 3 }) }]] }, t, log)!;
    const [, ratingRow, saveRow] = keyboard.inline_keyboard;
    expect(ratingRow!.map((b) => b.text)).toEqual(['😢 1', '😐 2', '👍 3', '🔥 4', '🤩 5']);
    expect(ratingRow!.map((b) => decodeAction((b as { callback_data: string }).callback_data))).toEqual(
      [1, 2, 3, 4, 5].map((rating) => ({ kind: 'rate', generationId: 987654321012, rating })),
    );
    expect(saveRow!.map((b) => (b as { callback_data: string }).callback_data)).toEqual([encodeAction({ kind: 'save', generationId: 987654321012 })]);
    for (const button of keyboard.inline_keyboard.flat()) {
      expect(Buffer.byteLength((button as { callback_data: string }).callback_data)).toBeLessThanOrEqual(64);
    }
  });

  it('does not add a second Save button, and drops buttons whose data is too long', () => {
    const keyboard = buildKeyboard(
      {
        blocks: [],
        rateGenerationId: 5,
        buttons: [[{ label: 'Keep', data: encodeAction({ kind: 'save', generationId: 5 }) }, { label: 'Bad', data: 'x'.repeat(65) }]],
      },
      t,
      log,
    )!;
    expect(keyboard.inline_keyboard.flat().map((b) => b.text)).toEqual(['Keep', '😢 1', '😐 2', '👍 3', '🔥 4', '🤩 5']);
    expect(logs.some((line) => line.includes('dropped an invalid button'))).toBe(true);
  });

  it('has no keyboard for a plain reply', () => {
    expect(buildKeyboard({ blocks: [{ kind: 'text', text: 'hi' }] }, t, log)).toBeUndefined();
  });
});
