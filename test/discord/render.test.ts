// Rendering: no message may exceed any Discord limit, whatever the size of the reply; text keeps its
// order and splits at paragraph/line boundaries; hidden fields are spoilers; buttons respect the grid.
import { describe, expect, it } from 'vitest';
import { renderReply, LIMITS, type RenderedMessage } from '../../src/bots/discord/render.ts';
import { splitPlain } from '../../src/bots/discord/text.ts';
import { decodeAction, encodeAction } from '../../src/core/actions.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import type { Button, CardBlock, Reply } from '../../src/core/types.ts';
import { validateMessageBody } from '../support/fake-discord/limits.ts';

const t = createI18n().translator('en');

function expectWithinLimits(messages: RenderedMessage[]): void {
  for (const message of messages) {
    const body = { content: message.content, embeds: message.embeds, components: message.components };
    expect(validateMessageBody(body, { requireContent: true, files: message.files.length })).toEqual([]);
  }
}

const paragraph = (i: number) => `Paragraph ${i}: ${'palabra '.repeat(40).trim()}.`;
const card = (n: number, size: number): CardBlock => ({
  kind: 'card',
  title: `Card ${n} ${'t'.repeat(size)}`,
  description: 'd'.repeat(size * 20),
  fields: Array.from({ length: 40 }, (_, i) => ({ label: `Field ${i} ${'l'.repeat(size)}`, value: 'v'.repeat(size * 5), hidden: i % 2 === 1 })),
  footer: 'f'.repeat(size * 10),
});

describe('renderReply', () => {
  it('keeps a small reply in one message', () => {
    const messages = renderReply({ blocks: [{ kind: 'text', text: 'Hola' }, { kind: 'card', title: 'Card', fields: [{ label: 'Front', value: 'casa' }] }] }, t);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.content).toBe('Hola');
    expect(messages[0]!.embeds[0]).toMatchObject({ title: 'Card', fields: [{ name: 'Front', value: 'casa' }] });
  });

  it('never exceeds a limit, for any size of input', () => {
    for (const size of [1, 10, 50, 300, 1200]) {
      const reply: Reply = {
        blocks: [
          { kind: 'text', text: Array.from({ length: size }, (_, i) => paragraph(i)).join('\n\n') },
          ...Array.from({ length: 12 }, (_, i) => card(i, size)),
          { kind: 'text', text: 'x'.repeat(size * 30) },
          { kind: 'text', text: 'line\n'.repeat(size * 10) },
        ],
        buttons: Array.from({ length: 7 }, (_, r) => Array.from({ length: 8 }, (_, b) => ({ label: 'b'.repeat(size), data: `1|q|${r}|${b}|0` }))),
      };
      const messages = renderReply(reply, t);
      expectWithinLimits(messages);
      // Nothing is lost: every card title made it into an embed.
      const titles = messages.flatMap((m) => m.embeds.map((e) => e.title)).filter(Boolean);
      expect(titles).toHaveLength(12);
      // Every button survives, each exactly once.
      const ids = messages.flatMap((m) => m.components.flatMap((r) => r.components.map((c) => c.custom_id)));
      expect(new Set(ids).size).toBe(56);
    }
  });

  it('splits long text at paragraph boundaries, then lines, keeping the order', () => {
    const text = Array.from({ length: 30 }, (_, i) => paragraph(i)).join('\n\n');
    const messages = renderReply({ blocks: [{ kind: 'text', text }] }, t);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.content!.length).toBeLessThanOrEqual(LIMITS.content);
      expect(message.content).toMatch(/^Paragraph \d+:/);
      expect(message.content).toMatch(/\.$/);
    }
    expect(messages.map((m) => m.content).join('\n\n')).toBe(text);
  });

  it('puts text that follows a card into a later message, so the reading order survives', () => {
    const messages = renderReply(
      { blocks: [{ kind: 'text', text: 'before' }, { kind: 'card', title: 'Card', fields: [] }, { kind: 'text', text: 'after' }] },
      t,
    );
    expect(messages.map((m) => [m.content ?? '', m.embeds.length])).toEqual([
      ['before', 1],
      ['after', 0],
    ]);
  });

  it('escapes markdown in plain text and hides hidden fields behind spoilers', () => {
    const [message] = renderReply(
      { blocks: [{ kind: 'text', text: '*not bold* and _x_' }, { kind: 'card', title: 'C', fields: [{ label: 'Back', value: 'a || b', hidden: true }] }] },
      t,
    );
    expect(message!.content).toBe('\\*not bold\\* and \\_x\\_');
    expect(message!.embeds[0]!.fields![0]!.value).toBe('||a \\|\\| b||');
  });

  it('lays out buttons at most 5 per row and 5 rows per message, labels within 80', () => {
    const buttons: Button[][] = [Array.from({ length: 12 }, (_, i) => ({ label: 'L'.repeat(200), data: `1|v|1|${i}`, style: 'primary' }))];
    const messages = renderReply({ blocks: [{ kind: 'text', text: 'cards' }], buttons }, t);
    expectWithinLimits(messages);
    const rows = messages[0]!.components;
    expect(rows.map((r) => r.components.length)).toEqual([5, 5, 2]);
    expect(rows[0]!.components[0]).toMatchObject({ style: 1, custom_id: '1|v|1|0' });
    expect((rows[0]!.components[0] as { label: string }).label.length).toBe(80);
  });

  it('offers a rating row of buttons on every rateable reply, ephemeral or not', () => {
    for (const ephemeral of [false, true]) {
      const [message] = renderReply({ blocks: [{ kind: 'text', text: 'cards' }], ephemeral, rateGenerationId: 42 }, t);
      expect(message!.ephemeral).toBe(ephemeral);
      const row = message!.components.at(-1)!;
      expect(row.components.map((b) => decodeAction(b.custom_id))).toEqual([1, 2, 3, 4, 5].map((rating) => ({ kind: 'rate', generationId: 42, rating })));
      expect(row.components.map((b) => (b as { label: string }).label)).toEqual(['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣']);
    }
    expect(renderReply({ blocks: [{ kind: 'text', text: 'no rating' }] }, t)[0]!.components).toEqual([]);
  });

  it('keeps the rating row in the first message when other rows overflow into the next', () => {
    const many: Button[][] = [Array.from({ length: 28 }, (_, i) => ({ label: `🔊 ${i}`, data: `1|v|1|${i}` }))];
    const messages = renderReply({ blocks: [{ kind: 'text', text: 'cards' }], buttons: many, rateGenerationId: 7 }, t);
    expectWithinLimits(messages);
    const rating = messages[0]!.components.at(-1)!.components.map((b) => decodeAction(b.custom_id));
    expect(rating).toEqual([1, 2, 3, 4, 5].map((value) => ({ kind: 'rate', generationId: 7, rating: value })));
    expect(messages.flatMap((m) => m.components).flatMap((r) => r.components)).toHaveLength(28 + 5);
  });

  it('drops duplicate custom ids, which Discord rejects', () => {
    const data = encodeAction({ kind: 'save', generationId: 1 });
    const [message] = renderReply({ blocks: [{ kind: 'text', text: 'x' }], buttons: [[{ label: 'a', data }, { label: 'b', data }]] }, t);
    expect(message!.components[0]!.components).toHaveLength(1);
  });

  it('attaches files, or explains when one is too large', () => {
    const small = renderReply({ blocks: [{ kind: 'text', text: 'export' }], attachment: { filename: 'cards.csv', mimeType: 'text/csv', data: new Uint8Array(10) } }, t);
    expect(small.at(-1)!.files).toEqual([{ name: 'cards.csv', data: Buffer.alloc(10) }]);
    const big = renderReply({ blocks: [], attachment: { filename: 'huge.csv', mimeType: 'text/csv', data: new Uint8Array(LIMITS.fileBytes + 1) } }, t);
    expect(big.flatMap((m) => m.files)).toEqual([]);
    expect(big[0]!.content).toContain('huge.csv');
  });
});

describe('splitPlain', () => {
  it('never cuts a surrogate pair or an escape', () => {
    const emoji = '😀'.repeat(1500);
    for (const chunk of splitPlain(emoji, 2000)) expect(chunk.length).toBeLessThanOrEqual(2000);
    expect(splitPlain(emoji, 2000).join('')).toBe(emoji);
    const starred = '*a'.repeat(1500);
    const chunks = splitPlain(starred, 2001);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2001);
    for (const chunk of chunks) expect(chunk.endsWith('\\')).toBe(false);
    expect(chunks.join('')).toBe('\\*a'.repeat(1500));
  });
});
