// Sends a Reply's audio as a Telegram voice note (sendVoice: Ogg Opus, shown with a play button and a
// waveform), optionally with the reply's text as its caption and the keyboard under it.
import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from '../../logger.ts';
import type { OutgoingVoice } from '../../core/types.ts';
import type { MessagePart } from './split-message.ts';
import { describeError, isEntityParseError, isThreadGone } from './errors.ts';

/** Telegram's limit for media captions (after entity parsing). */
export const MAX_CAPTION_LENGTH = 1024;

export interface VoicePlacement {
  threadId?: number;
  replyToMessageId?: number;
}

function placementOptions(where: VoicePlacement, markup: InlineKeyboardMarkup | undefined) {
  return {
    ...(where.threadId !== undefined ? { message_thread_id: where.threadId } : {}),
    ...(where.replyToMessageId !== undefined ? { reply_parameters: { message_id: where.replyToMessageId, allow_sending_without_reply: true } } : {}),
    ...(markup ? { reply_markup: markup } : {}),
  };
}

/** Telegram shows whole seconds; a clip under a second still counts as one. */
export function voiceDurationSeconds(voice: Pick<OutgoingVoice, 'durationSeconds'>): number {
  return Math.max(1, Math.round(voice.durationSeconds));
}

/**
 * A learner may forbid voice messages from others (Telegram Premium privacy setting): the clip then goes as a
 * document, which still plays in every client.
 */
function isVoiceForbidden(err: unknown): boolean {
  return /VOICE_MESSAGES_FORBIDDEN/i.test(describeError(err).message);
}

export async function sendVoiceNote(
  api: Api,
  chatId: number,
  voice: OutgoingVoice,
  where: VoicePlacement,
  caption: MessagePart | undefined,
  markup: InlineKeyboardMarkup | undefined,
  log: Logger,
): Promise<number> {
  const send = (html: boolean, at: VoicePlacement) =>
    api.sendVoice(chatId, new InputFile(voice.data, voice.filename), {
      duration: voiceDurationSeconds(voice),
      ...placementOptions(at, markup),
      ...(caption ? (html ? { caption: caption.html, parse_mode: 'HTML' as const } : { caption: caption.text }) : {}),
    });
  try {
    return (await send(true, where)).message_id;
  } catch (err) {
    if (caption && isEntityParseError(err)) {
      log.error({ err: describeError(err) }, 'telegram: caption HTML rejected, sending plain text');
      return (await send(false, where)).message_id;
    }
    if (isThreadGone(err) && where.threadId !== undefined) {
      log.warn({ err: describeError(err) }, 'telegram: topic gone, sending the voice note to the chat');
      return sendVoiceNote(api, chatId, voice, { ...where, threadId: undefined }, caption, markup, log);
    }
    if (isVoiceForbidden(err)) {
      log.info({ err: describeError(err) }, 'telegram: voice messages forbidden by the learner, sending the clip as a file');
      const document = await api.sendDocument(chatId, new InputFile(voice.data, voice.filename), {
        ...placementOptions(where, markup),
        ...(caption ? { caption: caption.html, parse_mode: 'HTML' as const } : {}),
      });
      return document.message_id;
    }
    throw err;
  }
}
