// Discord's rules for voice messages (flag IS_VOICE_MESSAGE, 1 << 13), checked the way the API answers:
// exactly one Ogg Opus attachment with duration_secs and a base64 waveform of at most 256 samples; no content,
// embeds, components, stickers or polls; the bot needs Send Voice Messages in guild channels; never edited.
import { fail } from './http.ts';
import type { Json } from './model.ts';

export const FLAG_IS_VOICE_MESSAGE = 1 << 13;
/** A bot's upload limit without boosts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MAX_WAVEFORM_SAMPLES = 256;

export interface UploadedFile {
  name: string;
  size: number;
  contentType?: string;
  data?: Buffer;
}

export function isVoiceMessageBody(body: Json): boolean {
  return ((Number(body.flags ?? 0) | 0) & FLAG_IS_VOICE_MESSAGE) !== 0;
}

export function checkUploadSizes(files: UploadedFile[]): void {
  if (files.some((file) => file.size > MAX_UPLOAD_BYTES)) fail(413, 40005, 'Request entity too large');
}

function isOggOpus(data: Buffer | undefined): boolean {
  if (!data || data.length < 36 || data.subarray(0, 4).toString('latin1') !== 'OggS') return false;
  const body = 27 + data[26]!;
  return data.subarray(body, body + 8).toString('latin1') === 'OpusHead';
}

/** Throws Discord's error for a voice message the API would refuse; `allowed` is the Send Voice Messages check. */
export function checkVoiceMessage(body: Json, files: UploadedFile[], allowed: boolean): void {
  if (!allowed) fail(403, 50173, 'Cannot send voice messages in this channel');
  const hasText = typeof body.content === 'string' && body.content !== '';
  const extras = [body.embeds, body.components, body.sticker_ids].some((v) => Array.isArray(v) && v.length > 0) || body.poll !== undefined;
  if (hasText || extras) fail(400, 50159, 'Voice messages do not support additional content.');
  if (files.length !== 1 || !isOggOpus(files[0]!.data)) fail(400, 50160, 'Voice messages must have a single audio attachment.');
  const meta = (Array.isArray(body.attachments) ? (body.attachments as Json[]) : []).find((a) => String(a.id) === '0');
  const duration = meta?.duration_secs;
  const waveform = meta?.waveform;
  const samples = typeof waveform === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(waveform) ? Buffer.from(waveform, 'base64').length : -1;
  if (typeof duration !== 'number' || !(duration > 0) || samples < 1 || samples > MAX_WAVEFORM_SAMPLES) {
    fail(400, 50161, 'Voice messages must have supporting metadata.');
  }
}

/** The attachment object of a voice message, as Discord stores it. */
export function voiceAttachmentFields(body: Json): Json {
  const meta = (body.attachments as Json[]).find((a) => String(a.id) === '0')!;
  return { duration_secs: meta.duration_secs, waveform: meta.waveform, content_type: 'audio/ogg' };
}
