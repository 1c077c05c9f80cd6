import { UserFacingError } from '../core/errors.ts';
import type { Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';

const encoder = new TextEncoder();

/** Two files, two replies: the Anki cards (when there are any) and the JSON that /import reads back. */
export const exportCommand = defineCommand({
  name: 'export',
  description: 'Your saved items as an Anki file and as JSON',
  ephemeral: true,
  options: [],
  async run(ctx): Promise<Reply[]> {
    const { t } = ctx;
    // Like /mydata: not every platform can show a reply to one person only, and in a group the files would be public.
    if (ctx.conversation.isGroup) throw new UserFacingError('data.export.privateOnly');
    const file = await ctx.services.dataExport.exportSaved(ctx.learner);
    if (file.items === 0) return [{ blocks: [{ kind: 'text', text: t('data.export.empty') }], ephemeral: true }];
    const json: Reply = {
      blocks: [{ kind: 'text', text: t('data.export.json', { items: file.items }) }],
      attachment: { filename: 'saved-items.json', mimeType: 'application/json', data: encoder.encode(file.json) },
      ephemeral: true,
    };
    if (file.cards === 0) return [{ ...json, blocks: [...json.blocks, { kind: 'text', text: t('data.export.noCards') }] }];
    const anki: Reply = {
      blocks: [{ kind: 'text', text: t('data.export.anki', { cards: file.cards, items: file.items }) }],
      attachment: { filename: 'saved-items-anki.txt', mimeType: 'text/tab-separated-values', data: encoder.encode(file.tsv) },
      ephemeral: true,
    };
    return [anki, json];
  },
});
