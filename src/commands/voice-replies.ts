// Speech added to replies: a tutor's role-play line as a voice note (voice mode, 🔊), a transcript heard.
import { isUserFacingError } from '../core/errors.ts';
import type { Reply } from '../core/types.ts';
import type { CommandContext } from './context.ts';
import { scopeOf } from './scope.ts';

/**
 * `reply` with `text` spoken in `language` as its voice note. A speech failure never loses the text: the reply
 * goes without the voice note and says why in one line.
 */
export async function withVoiceNote(ctx: CommandContext, reply: Reply, text: string, language: string): Promise<Reply> {
  try {
    const voice = await ctx.services.voice.speak(scopeOf(ctx), text, language, 'line.ogg');
    return { ...reply, voice };
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    const reason = ctx.t(error.key, error.params);
    return { ...reply, blocks: [...reply.blocks, { kind: 'text', text: ctx.t('voice.notSpoken', { reason }) }] };
  }
}

/** Voice mode: the learner asked for the tutor's lines as voice notes (/settings voice:on) and the bot can speak. */
export function wantsVoice(ctx: CommandContext): boolean {
  return ctx.learner.voiceReplies && ctx.services.voice.canSpeak;
}

/** The reply's first block becomes "🎙 I heard: …", so the learner sees what was understood before the answer. */
export function heardFirst(ctx: CommandContext, transcript: string, reply: Reply): Reply {
  return { ...reply, blocks: [{ kind: 'text', text: ctx.t('voice.heard', { text: transcript }) }, ...reply.blocks] };
}
