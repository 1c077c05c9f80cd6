// A Reply's audio as a Discord voice message: flag IS_VOICE_MESSAGE and exactly one Ogg Opus attachment with
// duration_secs and a waveform, nothing else (no content, embeds or buttons: the reply's text and buttons go
// in the message before it). Where voice messages are not allowed (50173: the bot lacks Send Voice Messages
// there) the same clip goes as an ordinary audio attachment, which still plays inline.
import { MessageFlags, type Message } from 'discord.js';
import type { OutgoingVoice } from '../../core/types.ts';
import { isOggOpus, oggOpusDurationSeconds, oggOpusWaveform } from '../../core/audio/ogg-opus.ts';

/** Discord's clients sample at most once per 100 ms, and never more than 256 points. */
const MAX_WAVEFORM_SAMPLES = 256;
const SAMPLES_PER_SECOND = 10;

export interface RenderedVoice {
  name: string;
  data: Buffer;
  durationSeconds: number;
  /** Base64 of the waveform bytes (0–255 each). */
  waveform: string;
}

export function renderVoice(voice: OutgoingVoice): RenderedVoice {
  // Discord shows the exact length (a float): measure the clip rather than trust a rounded figure.
  const measured = isOggOpus(voice.data) ? oggOpusDurationSeconds(voice.data) : 0;
  const durationSeconds = measured > 0 ? measured : Math.max(0.1, voice.durationSeconds);
  const samples = Math.min(MAX_WAVEFORM_SAMPLES, Math.max(1, Math.round(durationSeconds * SAMPLES_PER_SECOND)));
  const waveform = voice.waveform && voice.waveform.length > 0 ? resample(voice.waveform, samples) : oggOpusWaveform(voice.data, samples);
  const name = voice.filename.toLowerCase().endsWith('.ogg') ? voice.filename : `${voice.filename.replace(/\.[^.]*$/, '')}.ogg`;
  return { name, data: Buffer.from(voice.data), durationSeconds, waveform: Buffer.from(waveform).toString('base64') };
}

/** At most `samples` points, each the mean of its share of the original (a shorter clip gets fewer points). */
function resample(waveform: Uint8Array, samples: number): Uint8Array {
  if (waveform.length <= samples) return waveform;
  const out = new Uint8Array(samples);
  for (let i = 0; i < samples; i++) {
    const from = Math.floor((i * waveform.length) / samples);
    const to = Math.max(from + 1, Math.floor(((i + 1) * waveform.length) / samples));
    let sum = 0;
    for (let j = from; j < to; j++) sum += waveform[j]!;
    out[i] = Math.round(sum / (to - from));
  }
  return out;
}

const NO_PINGS = { parse: [] as [], repliedUser: false };

/** The body of a voice message for channel.send / followUp. */
export function voiceMessageBody(voice: RenderedVoice, ephemeral: boolean) {
  return {
    flags: MessageFlags.IsVoiceMessage | (ephemeral ? MessageFlags.Ephemeral : 0),
    files: [{ attachment: voice.data, name: voice.name, duration: voice.durationSeconds, waveform: voice.waveform }],
    allowedMentions: NO_PINGS,
  };
}

/** The fallback: the clip as a plain attachment. */
export function audioAttachmentBody(voice: RenderedVoice, ephemeral: boolean) {
  return {
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    files: [{ attachment: voice.data, name: voice.name }],
    allowedMentions: NO_PINGS,
  };
}

function cannotSendVoice(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 50173;
}

/** Sends the voice message through `send`; where Discord refuses voice messages, the clip as an attachment. */
export async function sendVoiceOrAudio(
  send: (body: ReturnType<typeof voiceMessageBody> | ReturnType<typeof audioAttachmentBody>) => Promise<Message>,
  voice: RenderedVoice,
  ephemeral: boolean,
): Promise<Message> {
  try {
    return await send(voiceMessageBody(voice, ephemeral));
  } catch (error) {
    if (!cannotSendVoice(error)) throw error;
    return send(audioAttachmentBody(voice, ephemeral));
  }
}
