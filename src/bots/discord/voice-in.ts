// A learner's Discord voice message (flag IS_VOICE_MESSAGE, one audio attachment with duration_secs) as the
// front door's IncomingVoice: described before any download, fetched from the CDN only when the core asks.
import { MessageFlags, type Attachment, type Message } from 'discord.js';
import type { IncomingVoice } from '../../core/types.ts';
import { downloadAttachment } from './attachments.ts';

/**
 * Nothing a learner may say in one turn comes near this (a minute of Opus speech is a few hundred KB); Nitro
 * lets people attach up to 500 MB, which the bot must never try to fetch.
 */
export const DISCORD_VOICE_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** The audio attachment of a voice message; undefined for every other message. */
export function voiceAttachment(message: Pick<Message, 'flags' | 'attachments'>): Attachment | undefined {
  if (!message.flags.has(MessageFlags.IsVoiceMessage)) return undefined;
  return message.attachments.size === 1 ? message.attachments.first() : undefined;
}

export function voiceDownloadable(file: Pick<Attachment, 'size'>): boolean {
  return file.size <= DISCORD_VOICE_DOWNLOAD_LIMIT_BYTES;
}

export function toIncomingVoice(file: Attachment): IncomingVoice {
  return {
    durationSeconds: file.duration ?? 0,
    sizeBytes: file.size,
    mimeType: file.contentType ?? 'audio/ogg',
    async download() {
      const result = await downloadAttachment(file, DISCORD_VOICE_DOWNLOAD_LIMIT_BYTES);
      if (!result.ok) throw new Error(`discord: voice message download ${result.reason}`);
      return result.attachment.data;
    },
  };
}
