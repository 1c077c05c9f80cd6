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

/**
 * Numbers every button of a reply from `first` (the terminal numbers choices through the whole session, so a
 * later reply's choices never take the numbers of earlier ones); returns the text and the buttons in that order.
 */
export function renderButtons(t: Translator, rows: Button[][] | undefined, first = 1): { text: string; buttons: Button[] } {
  const buttons = (rows ?? []).flat();
  if (buttons.length === 0) return { text: '', buttons };
  const list = buttons.map((b, i) => `  ${first + i}) ${b.label}`).join('\n');
  return { text: `${t('console.choose')}\n${list}`, buttons };
}

export function renderReply(t: Translator, reply: Reply, firstChoice = 1): { text: string; buttons: Button[] } {
  const rateable = reply.rateGenerationId !== undefined;
  // A rateable reply ends with the terminal's own hint (/rate, /save): the cards' "rate or save" footer,
  // meant for platforms with rating buttons, would say the same a second time.
  const generic = t('flashcards.hint');
  const blocks = rateable ? reply.blocks.map((b) => (b.kind === 'card' && b.footer === generic ? { ...b, footer: undefined } : b)) : reply.blocks;
  const parts = [renderBlocks(blocks)];
  const { text, buttons } = renderButtons(t, reply.buttons, firstChoice);
  if (rateable) parts.push(t('console.rateHint'));
  if (text) parts.push(text);
  return { text: parts.filter(Boolean).join('\n\n'), buttons };
}
