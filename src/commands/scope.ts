import { conversationKey } from '../core/types.ts';
import type { RequestScope } from '../core/services/generation.ts';
import type { CommandContext } from './context.ts';
import { previewView } from './views.ts';

/** The request scope core services need, from a command context. */
export function scopeOf(ctx: CommandContext): RequestScope {
  return {
    learner: ctx.learner,
    conversationKey: conversationKey(ctx.conversation),
    platform: ctx.conversation.platform,
    log: ctx.log,
    ...(ctx.progress ? { preview: (preview) => ctx.progress!(previewView(ctx.t, preview)) } : {}),
  };
}
