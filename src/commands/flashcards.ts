import { defineCommand } from './define.ts';
import { languageOptions, topicOption, topicRequest } from './options.ts';
import { scopeOf } from './scope.ts';
import { flashcardsView, shortfallNote } from './views.ts';

export const flashcardsCommand = defineCommand({
  name: 'flashcards',
  description: 'Flashcards on a topic',
  slow: true,
  options: [topicOption, ...languageOptions, { name: 'count', description: 'How many cards (1–20)', type: 'integer', min: 1, max: 20 }],
  async run(ctx, args) {
    const generated = await ctx.services.generation.flashcards(scopeOf(ctx), { ...topicRequest(args), count: args.count ?? 8 });
    return [flashcardsView(ctx.t, generated.generationId, generated.content), ...shortfallNote(ctx.t, 'flashcards', generated.shortfall)];
  },
});
