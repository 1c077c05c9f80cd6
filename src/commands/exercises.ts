import { defineCommand } from './define.ts';
import { languageOptions, topicOption, topicRequest } from './options.ts';
import { scopeOf } from './scope.ts';
import { exerciseIntroView, shortfallNote } from './views.ts';
import { practisingNote } from './personal-views.ts';

export const exercisesCommand = defineCommand({
  name: 'exercises',
  description: 'Exercises on a topic, one question at a time',
  slow: true,
  options: [topicOption, ...languageOptions, { name: 'count', description: 'How many questions (1–10)', type: 'integer', min: 1, max: 10 }],
  async run(ctx, args) {
    const generated = await ctx.services.generation.exercises(scopeOf(ctx), { ...topicRequest(args), count: args.count ?? 5 });
    return [...practisingNote(ctx.t, generated.practising), ...exerciseIntroView(ctx.t, generated.generationId, generated.content, ctx.learner.id), ...shortfallNote(ctx.t, 'exercises', generated.shortfall)];
  },
});
