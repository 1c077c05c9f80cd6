// The Ogg Opus reader against real files from opusenc: length from the last granule position, minus pre-skip.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isOggOpus, oggOpusDurationSeconds, oggOpusWaveform } from '../../src/core/audio/ogg-opus.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';

/** `seconds` of a 440 Hz tone (16-bit mono 48 kHz WAV) encoded by opusenc. */
function tone(seconds: number): Uint8Array {
  const rate = 48_000;
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12_000), 44 + i * 2);
  return new Uint8Array(execFileSync('opusenc', ['--quiet', '-', '-'], { input: wav }));
}

describe('Ogg Opus', () => {
  it.skipIf(AUDIO_TOOLS_MISSING).each([0.5, 3, 61])(needingAudioTools('a %s s recording measures its length'), (seconds) => {
    const data = tone(seconds);
    expect(isOggOpus(data)).toBe(true);
    expect(oggOpusDurationSeconds(data)).toBeCloseTo(seconds, 1);
    const waveform = oggOpusWaveform(data);
    expect(waveform).toHaveLength(256);
    expect(Math.max(...waveform)).toBe(255);
  });

  it('is not fooled by other bytes', () => {
    for (const bytes of [new Uint8Array(), new TextEncoder().encode('<html>502</html>'), new TextEncoder().encode('OggS but not really')]) {
      expect(isOggOpus(bytes)).toBe(false);
      expect(oggOpusDurationSeconds(bytes)).toBe(0);
    }
  });
});
