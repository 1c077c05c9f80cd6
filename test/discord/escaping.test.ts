// Escaping through the fake Discord (which enforces every limit): texts and card fields made of markdown
// characters take as many messages and fields as their raw length needs (escaping never multiplies them), and
// what Discord shows is exactly the raw text.
import { describe, expect, it } from 'vitest';
import { LIMITS, renderReply } from '../../src/bots/discord/render.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import type { Reply } from '../../src/core/types.ts';
import { shownText } from '../support/fake-discord/markdown.ts';
import { useStubHarness } from './helpers/harness.ts';

const t = createI18n().translator('en');

const ctx = useStubHarness();
let controls = 0;

/** What the same text needs when it has no markdown characters (letters instead): the raw length's due. */
const rawNeeds = (raw: string) => renderReply({ blocks: [{ kind: 'text', text: raw.replace(/[\\*_~`|]/g, 'x') }] }, t).length;

/** Asks with a mention; the bot's answer is `reply`. Resolves with the bot's new messages once `count` arrived. */
async function answer(reply: Reply, count: number) {
  ctx.frontDoor.onText = () => [reply];
  const before = ctx.h.fake.botMessagesIn().length;
  ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'go', mentionBot: true });
  await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().length >= before + count, 15_000, `${count} messages`);
  // A positive control for "no more than count": a second question is answered after them.
  const control = `done ${++controls}`;
  ctx.frontDoor.onText = () => [{ blocks: [{ kind: 'text', text: control }] }];
  ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'again', mentionBot: true });
  await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().some((m) => m.content === control), 15_000, 'the control answer');
  const all = ctx.h.fake.botMessagesIn().slice(before);
  return all.slice(0, all.findIndex((m) => m.content === control));
}

const shown = (markdown: string, spoilers = false) => {
  const result = shownText(markdown, { spoilers });
  expect(result.formatting).toEqual([]);
  return result.text;
};

describe('escaping on Discord', () => {
  const cases = [
    { what: '3 000 backslashes', raw: '\\'.repeat(3000) },
    { what: '3 000 asterisks', raw: '*'.repeat(3000) },
    { what: 'a long run of markdown characters between words', raw: `before ${'\\*_~'.repeat(800)} after` },
    { what: 'ordinary text with a few escapes', raw: Array.from({ length: 60 }, (_, i) => `Line ${i}: *not bold*, _x_ and a \\ backslash.`).join('\n') },
  ];
  for (const { what, raw } of cases) {
    it(`${what}: as many messages as the raw length needs, shown exactly`, async () => {
      const needed = rawNeeds(raw);
      const messages = await answer({ blocks: [{ kind: 'text', text: raw }] }, needed);
      console.info(`[discord escaping] ${what}: ${raw.length} characters → ${messages.length} message(s) (the same length without markdown: ${needed})`);
      expect(messages.length).toBe(needed);
      const text = messages.map((m) => shown(m.content)).join('');
      // Splitting may drop the whitespace at a cut; everything else is shown as typed.
      expect(text.replace(/\s+/g, '')).toBe(raw.replace(/\s+/g, ''));
    });
  }

  it('1 000 backslashes in a card field: one field, shown exactly; a hidden one too', async () => {
    const value = '\\'.repeat(1000);
    const [message] = await answer(
      { blocks: [{ kind: 'card', title: 'Card', fields: [{ label: 'Front', value }, { label: 'Back', value, hidden: true }] }] },
      1,
    );
    const fields = (message!.embeds as Array<{ fields: Array<{ name: string; value: string }> }>).flatMap((e) => e.fields);
    console.info(`[discord escaping] 2 card fields of 1000 backslashes → ${fields.length} field(s)`);
    expect(fields.map((f) => f.name)).toEqual(['Front', 'Back']);
    expect(shown(fields[0]!.value)).toBe(value);
    expect(fields[1]!.value.startsWith('||') && fields[1]!.value.endsWith('||')).toBe(true);
    expect(shown(fields[1]!.value, true)).toBe(value);
  });

  it('a hidden field of pipes and backslashes: shown exactly once the spoiler is revealed', async () => {
    const value = `${'|'.repeat(40)} a || b ${'\\'.repeat(40)}${'|'.repeat(3)} end`;
    const [message] = await answer({ blocks: [{ kind: 'card', title: 'Card', fields: [{ label: 'Back', value, hidden: true }] }] }, 1);
    const fields = (message!.embeds as Array<{ fields: Array<{ name: string; value: string }> }>).flatMap((e) => e.fields);
    expect(fields.map((f) => shown(f.value, true)).join('')).toBe(value);
  });

  it('2 500 asterisks in a card field: the three fields its raw length needs', async () => {
    const value = '*'.repeat(2500);
    const [message] = await answer({ blocks: [{ kind: 'card', title: 'Card', fields: [{ label: 'Front', value }] }] }, 1);
    const fields = (message!.embeds as Array<{ fields: Array<{ name: string; value: string }> }>).flatMap((e) => e.fields);
    expect(fields).toHaveLength(Math.ceil(value.length / LIMITS.fieldValue));
    expect(fields.map((f) => shown(f.value)).join('')).toBe(value);
  });
});
