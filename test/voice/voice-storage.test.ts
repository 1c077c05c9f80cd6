// The speech rows on both databases (the CHECK rule of activity_log takes the two new content types), and the
// offline espeak-ng voice (TTS_PROVIDER=espeak) making real Ogg Opus without any speech request.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOggOpus, oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { createTestCore } from '../support/core.ts';
import { PROVIDERS } from '../support/databases.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import { incomingFrom } from '../support/incoming.ts';

describe.skipIf(AUDIO_TOOLS_MISSING).each(PROVIDERS)(needingAudioTools('speech in the activity log on $name'), ({ create, skip }) => {
  it.skipIf(skip)('stores pronunciation and transcription rows with model, seconds and latency', async () => {
    const database = await create();
    const t = await createTestCore({ database, env: { VOICE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'voice-db-')) } });
    try {
      const me = incomingFrom(t.logger, { id: 'ana' });
      await t.frontDoor.text(me, '/pronounce la cebolla lang:es', { addressed: true });
      const data = spokenOgg('Hola, buenos días.', 'es');
      const voice = { durationSeconds: oggOpusDurationSeconds(data), sizeBytes: data.byteLength, download: async () => data };
      await t.frontDoor.voice({ ...me, voice }, { addressed: true });
      await t.core.activityLog.flush();
      const rows = await t.prisma.activityLog.findMany({ where: { direction: 'output' }, orderBy: { timestamp: 'asc' } });
      expect(rows.map((r) => [r.contentType, r.queryText, r.targetLanguage])).toEqual([
        ['pronunciation', 'la cebolla', 'es'],
        ['transcription', 'Hola, buenos días.', 'es'],
      ]);
      for (const row of rows) {
        expect(row.requestMetadata).toMatchObject({ model: expect.any(String) });
        expect(row.responseMetadata).toMatchObject({ ok: true, seconds: expect.any(Number), latencyMs: expect.any(Number) });
      }
      // The database itself refuses a content type that is not in the list (the CHECK rule is there).
      const user = await t.prisma.user.findFirstOrThrow();
      await expect(
        t.prisma.activityLog.create({ data: { id: 'x1', userId: user.id, contentType: 'podcast', direction: 'output', queryText: '', targetLanguage: 'es' } }),
      ).rejects.toThrow();
    } finally {
      await t.close();
      await database.drop();
    }
  });
});

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('TTS_PROVIDER=espeak'), () => {
  it('speaks offline with espeak-ng + opusenc: real Ogg Opus, no speech request to the API', async () => {
    const t = await createTestCore({ env: { TTS_PROVIDER: 'espeak', VOICE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'voice-espeak-')) } });
    try {
      const replies = await t.frontDoor.text(incomingFrom(t.logger, { id: 'ana' }), '/pronounce -la cebolla lang:es', { addressed: true });
      const voice = replies![0]!.voice!;
      expect(isOggOpus(voice.data)).toBe(true);
      expect(oggOpusDurationSeconds(voice.data)).toBeGreaterThan(0.3);
      expect(t.openai!.audioRequests).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
