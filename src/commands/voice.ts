// /voice file:<recording>: a voice message sent as a file (the terminal's way; Discord and Telegram send voice notes,
// which the adapters pass to the front door's voice() directly). Same path as a voice note from there on.
import { UserFacingError } from '../core/errors.ts';
import { isOggOpus, oggOpusDurationSeconds } from '../core/audio/ogg-opus.ts';
import type { IncomingVoice } from '../core/types.ts';
import { defineCommand } from './define.ts';
import { voiceTurn } from './voice-turn.ts';

export const voiceCommand = defineCommand({
  name: 'voice',
  description: 'In a role-play, answer with a recording: /voice file:<.ogg>',
  slow: true,
  options: [{ name: 'file', description: 'The recording (Ogg Opus, like a voice note)', type: 'attachment', required: true }],
  async run(ctx) {
    const file = ctx.attachment;
    if (!file) throw new UserFacingError('voice.fileMissing');
    const voice: IncomingVoice = {
      durationSeconds: isOggOpus(file.data) ? oggOpusDurationSeconds(file.data) : 0,
      sizeBytes: file.data.byteLength,
      mimeType: 'audio/ogg',
      download: async () => file.data,
    };
    return voiceTurn(ctx, voice);
  },
});
