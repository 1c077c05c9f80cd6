// A learner's voice note (message.voice) as the front door's IncomingVoice: described by Telegram before any
// download (duration, size), fetched only when the core decides to transcribe it.
import type { Voice } from 'grammy/types';
import type { IncomingVoice } from '../../core/types.ts';
import type { FileDownloader } from './download-file.ts';

/** getFile serves files up to 20 MB to bots; a larger voice note cannot be fetched at all. */
export const TELEGRAM_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** Whether Telegram would let the bot download this voice note (unknown size: try, the download is capped). */
export function voiceDownloadable(voice: Pick<Voice, 'file_size'>): boolean {
  return voice.file_size === undefined || voice.file_size <= TELEGRAM_DOWNLOAD_LIMIT_BYTES;
}

export function toIncomingVoice(voice: Voice, downloadFile: FileDownloader): IncomingVoice {
  return {
    durationSeconds: voice.duration,
    // Telegram may leave file_size out; 0 then means "not known before download" (the download is capped).
    sizeBytes: voice.file_size ?? 0,
    mimeType: voice.mime_type ?? 'audio/ogg',
    download: () => downloadFile(voice.file_id, TELEGRAM_DOWNLOAD_LIMIT_BYTES),
  };
}
