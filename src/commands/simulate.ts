import { conversationKey } from '../core/types.ts';
import { UserFacingError } from '../core/errors.ts';
import { defineCommand } from './define.ts';
import { languageOptions, topicOption, topicRequest } from './options.ts';
import { scopeOf } from './scope.ts';
import { scenarioView, summaryView } from './views.ts';
import { wantsVoice, withVoiceNote } from './voice-replies.ts';

export const simulateCommand = defineCommand({
  name: 'simulate',
  description: 'Start a role-play conversation',
  slow: true,
  options: [{ ...topicOption, description: 'The situation, e.g. ordering at a bakery' }, ...languageOptions],
  async run(ctx, args) {
    const { session, generationId, openingSeq } = await ctx.services.simulations.start(scopeOf(ctx), topicRequest(args));
    const view = scenarioView(ctx.t, session, generationId, ctx.services.voice.canSpeak ? openingSeq : undefined);
    return [wantsVoice(ctx) ? await withVoiceNote(ctx, view, session.scenario.openingLine, session.targetLanguage) : view];
  },
});

export const endCommand = defineCommand({
  name: 'end',
  description: 'End the role-play here and get a summary',
  options: [],
  inSimulation: true,
  async run(ctx) {
    const session = await ctx.services.simulations.findActive(conversationKey(ctx.conversation));
    if (!session) throw new UserFacingError('errors.noSimulation');
    const { summary } = await ctx.services.simulations.end(scopeOf(ctx), session.id, ctx.isChatAdmin);
    return [summaryView(ctx.t, session, summary)];
  },
});
