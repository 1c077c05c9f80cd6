// A learner's voice message: in an active role-play it is transcribed and taken as their turn (the reply starts
// with "🎙 I heard: …", corrections apply to the transcript); elsewhere a short answer with what was heard and how
// voice is used. Faults (provider down, slow, bad audio, wrong language) end here as clear messages thrown as
// UserFacingError: no turn is taken, so the role-play stays open for another try.
import { conversationKey, type IncomingVoice, type Reply } from '../core/types.ts';
import type { SessionInfo } from '../core/services/simulations.ts';
import type { CommandContext } from './context.ts';
import { scopeOf } from './scope.ts';
import { turnView } from './views.ts';
import { heardFirst, wantsVoice, withVoiceNote } from './voice-replies.ts';

export async function voiceTurn(ctx: CommandContext, voice: IncomingVoice, session?: SessionInfo): Promise<Reply[]> {
  const active = session ?? (await ctx.services.simulations.findActive(conversationKey(ctx.conversation)));
  const scope = scopeOf(ctx);
  const language = active?.targetLanguage ?? ctx.learner.targetLanguage;
  const base = active?.baseLanguage ?? ctx.learner.baseLanguage;
  const transcript = await ctx.services.voice.transcribe(scope, voice, language, base);
  if (!active) {
    return [{ blocks: [{ kind: 'text', text: `${ctx.t('voice.heard', { text: transcript })}\n\n${ctx.t('voice.outsideRolePlay')}` }] }];
  }
  const { reply, tutorSeq } = await ctx.services.simulations.takeTurn(scope, active.id, transcript);
  const view = heardFirst(ctx, transcript, turnView(ctx.t, active, reply, ctx.services.voice.canSpeak ? tutorSeq : undefined));
  return [wantsVoice(ctx) ? await withVoiceNote(ctx, view, reply.reply, active.targetLanguage) : view];
}
