import { UserFacingError } from '../core/errors.ts';
import type { Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';

export const mydataCommand = defineCommand({
  name: 'mydata',
  description: 'Everything stored about you, as a JSON file',
  ephemeral: true,
  options: [],
  async run(ctx): Promise<Reply[]> {
    // Not every platform can show a reply to one person only: in a group the file would be public.
    if (ctx.conversation.isGroup) throw new UserFacingError('data.mydata.privateOnly');
    const json = await ctx.services.privacy.personalData(ctx.learner);
    return [
      {
        blocks: [{ kind: 'text', text: ctx.t('data.mydata.ready') }],
        attachment: { filename: 'my-data.json', mimeType: 'application/json', data: new TextEncoder().encode(json) },
        ephemeral: true,
      },
    ];
  },
});
