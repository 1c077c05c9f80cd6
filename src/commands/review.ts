import { defineCommand } from './define.ts';
import { cardFrontView, nothingDueView } from './review-views.ts';

export const reviewCommand = defineCommand({
  name: 'review',
  description: 'Review your due flashcards (spaced repetition)',
  ephemeral: true,
  options: [],
  async run(ctx) {
    const { reviews } = ctx.services;
    const card = await reviews.next(ctx.learner);
    if (!card) return [nothingDueView(ctx.t, await reviews.deckSize(ctx.learner))];
    return [cardFrontView(ctx.t, card, await reviews.dueNow(ctx.learner))];
  },
});
