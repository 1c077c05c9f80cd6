import { LABEL_MAX_LENGTH, NOTES_MAX_LENGTH } from '../core/services/saved-items.ts';
import { conversationKey, type Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';
import { savedContentView } from './views.ts';
import { cutText } from '../core/safe-text.ts';

export const saveCommand = defineCommand({
  name: 'save',
  description: 'Save the latest content (optional label)',
  ephemeral: true,
  options: [
    { name: 'label', description: 'A short name for it', type: 'string', rest: true, maxLength: LABEL_MAX_LENGTH },
    { name: 'notes', description: 'Your notes', type: 'string', maxLength: NOTES_MAX_LENGTH },
    { name: 'generation', description: 'Which content (id)', type: 'integer', min: 1, max: 2_147_483_647 },
  ],
  async run(ctx, args) {
    const { item, alreadySaved, cardsAdded } = await ctx.services.savedItems.save(ctx.learner, conversationKey(ctx.conversation), {
      ...(args.generation !== undefined ? { generationId: args.generation } : {}),
      ...(args.label ? { label: args.label } : {}),
      ...(args.notes ? { notes: args.notes } : {}),
    });
    const text = alreadySaved
      ? args.label || args.notes
        ? ctx.t('saved.updated', { id: item.number })
        : ctx.t('saved.alreadySaved', { id: item.number })
      : ctx.t('saved.saved', { id: item.number, label: item.userLabel ? ` "${item.userLabel}"` : '' });
    const deck = cardsAdded > 0 ? `\n${ctx.t('review.addedCards', { count: cardsAdded })}` : '';
    return [{ blocks: [{ kind: 'text', text: text + deck }], ephemeral: true }];
  },
});

export const savedCommand = defineCommand({
  name: 'saved',
  description: 'List your saved items, or show one by number',
  ephemeral: true,
  options: [
    { name: 'item', description: 'Saved item number', type: 'integer', rest: true, min: 1, max: 2_147_483_647 },
    { name: 'page', description: 'Page', type: 'integer', min: 1, max: 100_000 },
  ],
  async run(ctx, args): Promise<Reply[]> {
    const { t } = ctx;
    if (args.item !== undefined) {
      const item = await ctx.services.savedItems.show(ctx.learner, args.item);
      return [{ ...savedContentView(t, item), ephemeral: true }];
    }
    const list = await ctx.services.savedItems.list(ctx.learner, args.page ?? 1);
    if (list.total === 0) return [{ blocks: [{ kind: 'text', text: t('saved.empty') }], ephemeral: true }];
    const lines = list.items.map((i) =>
      t('saved.item', {
        id: i.number,
        type: t(`contentTypes.${i.contentType as 'flashcards'}`),
        label: i.userLabel ?? cutText(i.originalQuery, 60),
        date: i.savedAt.toISOString().slice(0, 10),
      }),
    );
    if (list.page < list.pages) lines.push('', t('saved.page', { page: list.page, pages: list.pages, next: list.page + 1 }));
    lines.push('', t('saved.showHint'));
    return [{ blocks: [{ kind: 'text', text: `${t('saved.listTitle', { total: list.total })}\n${lines.join('\n')}` }], ephemeral: true }];
  },
});

export const deleteCommand = defineCommand({
  name: 'delete',
  description: 'Delete one of your saved items',
  ephemeral: true,
  options: [{ name: 'item', description: 'Saved item number', type: 'integer', rest: true, required: true, min: 1, max: 2_147_483_647 }],
  async run(ctx, args) {
    await ctx.services.savedItems.delete(ctx.learner, args.item);
    return [{ blocks: [{ kind: 'text', text: ctx.t('saved.deleted', { id: args.item }) }], ephemeral: true }];
  },
});
