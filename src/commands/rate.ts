import { FEEDBACK_MAX_LENGTH } from '../core/services/feedback.ts';
import { conversationKey } from '../core/types.ts';
import { defineCommand } from './define.ts';

export const rateCommand = defineCommand({
  name: 'rate',
  description: 'Rate the latest content from 1 to 5',
  ephemeral: true,
  options: [{ name: 'rating', description: '1 (poor) to 5 (great)', type: 'integer', rest: true, required: true, min: 1, max: 5 }],
  async run(ctx, args) {
    const { queued } = await ctx.services.feedback.rate(ctx.learner, conversationKey(ctx.conversation), args.rating);
    return [{ blocks: [{ kind: 'text', text: queued ? ctx.t('feedback.savedLater') : ctx.t('rating.thanks', { rating: args.rating }) }], ephemeral: true }];
  },
});

export const feedbackCommand = defineCommand({
  name: 'feedback',
  description: 'Tell us what you think',
  ephemeral: true,
  options: [{ name: 'text', description: 'Your feedback', type: 'string', rest: true, required: true, minLength: 1, maxLength: FEEDBACK_MAX_LENGTH }],
  async run(ctx, args) {
    const { queued } = await ctx.services.feedback.text(ctx.learner, conversationKey(ctx.conversation), args.text);
    return [{ blocks: [{ kind: 'text', text: ctx.t(queued ? 'feedback.savedLater' : 'feedback.thanks') }], ephemeral: true }];
  },
});
