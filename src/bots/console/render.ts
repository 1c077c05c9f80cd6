// Plain-text rendering for the terminal: cards as indented fields, buttons as a numbered list.
import type { Translator } from '../../core/i18n/index.ts';
import type { Block, Button, Reply } from '../../core/types.ts';

export function renderBlocks(blocks: Block[]): string {
  return blocks
    .map((block) => {
      if (block.kind === 'text') return block.text;
      const lines = [`== ${block.title} ==`];
      if (block.description) lines.push(block.description);
      for (const field of block.fields) {
        const value = field.hidden ? '(hidden)' : field.value;
        lines.push(`• ${field.label}`, ...value.split('\n').map((l) => `    ${l}`));
      }
      if (block.footer) lines.push(block.footer);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Numbers every button of a reply from 1; returns the text and the buttons in that order. */
export function renderButtons(t: Translator, rows: Button[][] | undefined): { text: string; buttons: Button[] } {
  const buttons = (rows ?? []).flat();
  if (buttons.length === 0) return { text: '', buttons };
  const list = buttons.map((b, i) => `  ${i + 1}) ${b.label}`).join('\n');
  return { text: `${t('console.choose')}\n${list}`, buttons };
}

export function renderReply(t: Translator, reply: Reply): { text: string; buttons: Button[] } {
  const parts = [renderBlocks(reply.blocks)];
  const { text, buttons } = renderButtons(t, reply.buttons);
  if (reply.rateGenerationId !== undefined) parts.push(t('console.rateHint'));
  if (text) parts.push(text);
  return { text: parts.filter(Boolean).join('\n\n'), buttons };
}
