// /forget asks first; the deletion happens on "/forget confirm" or on the button, whose payload names the
// learner who asked, so nobody else in a group can press it for them.
import { encodeAction } from '../core/actions.ts';
import { UserFacingError } from '../core/errors.ts';
import type { Reply } from '../core/types.ts';
import type { CommandContext } from './context.ts';
import { defineCommand } from './define.ts';

export const forgetCommand = defineCommand({
  name: 'forget',
  description: 'Delete everything stored about you',
  ephemeral: true,
  options: [{ name: 'confirm', description: 'Type confirm to delete without the button', type: 'string', rest: true, choices: [{ name: 'confirm', value: 'confirm' }] }],
  async run(ctx, args): Promise<Reply[]> {
    if (args.confirm === 'confirm') return forgetNow(ctx);
    const { t } = ctx;
    const counts = await ctx.services.privacy.counts(ctx.learner);
    const text = [t('data.forget.title'), t('data.forget.whatGoes', { ...counts }), t('data.forget.howTo')].join('\n\n');
    return [
      {
        blocks: [{ kind: 'text', text }],
        buttons: [[{ label: t('data.forget.button'), data: encodeAction({ kind: 'forget', userId: ctx.learner.id }), style: 'danger' }]],
        ephemeral: true,
      },
    ];
  },
});

/** The confirmation button: only the learner it was made for may press it (and only while they exist). */
export function confirmForget(ctx: CommandContext, userId: number): Promise<Reply[]> {
  if (userId !== ctx.learner.id) throw new UserFacingError('data.forget.notYours');
  return forgetNow(ctx).then((replies) => replies.map((reply) => ({ ...reply, replaceOrigin: true })));
}

async function forgetNow(ctx: CommandContext): Promise<Reply[]> {
  const counts = await ctx.services.privacy.forget(ctx.learner);
  if (!counts) throw new UserFacingError('data.forget.notYours');
  // Spoken clips live on disk, not in the database: their folder goes too. Transcripts were in the rows above.
  await ctx.services.voice.forget(ctx.learner.id);
  return [{ blocks: [{ kind: 'text', text: ctx.t('data.forget.done', { ...counts }) }], ephemeral: true }];
}
