// Every speech fault of the item 6 ends in a clear message, leaves an open role-play open and takes no
// turn: the provider down, slow, 4xx/5xx, an empty or non-audio body, a transcript in the wrong language.
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import type { IncomingVoice } from '../../src/core/types.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import type { AudioFault } from '../support/fake-openai.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

const SPOKEN = 'Hola, quiero pan, por favor.';
const note = (data = spokenOgg(SPOKEN, 'es')): IncomingVoice => ({
  durationSeconds: oggOpusDurationSeconds(data),
  sizeBytes: data.byteLength,
  mimeType: 'audio/ogg',
  download: async () => data,
});

/** A local port nobody listens on: connections are refused, as with a provider that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('speech faults'), () => {
  let t: TestCore;
  let env: Record<string, string>;
  beforeEach(async () => {
    // A fresh clip cache each time: a clip cached by an earlier test would hide the fault.
    env = { VOICE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'voice-faults-')), LLM_TIMEOUT_MS: '1500' };
    t = await createTestCore({ env });
  });
  afterEach(async () => {
    await t?.close();
  });
  const me = () => incomingFrom(t.logger, { id: 'ana' });
  const say = (text: string) => t.frontDoor.text(me(), text, { addressed: true });
  const speak = () => t.frontDoor.voice({ ...me(), voice: note() }, { addressed: true });
  const turns = () => t.prisma.simulationTurn.count({ where: { role: 'learner' } });

  const OUT: Array<[string, AudioFault[], RegExp]> = [
    ['a 500 (and its retry)', [{ status: 500 }, { status: 500 }], /not reachable right now/],
    ['a 400', [{ status: 400 }], /not reachable right now/],
    ['a 429 (and its retry)', [{ status: 429, retryAfterSeconds: 0 }, { status: 429, retryAfterSeconds: 0 }], /not reachable right now/],
    // One hang: the whole-request timeout ends the call before the SDK's retry would go out.
    ['no answer (slow)', [{ hang: true }], /took too long/],
    ['an empty body', [{ emptyBody: true }], /not audio/],
    ['an HTML page instead of audio', [{ notAudio: true }], /not audio/],
  ];
  for (const [what, faults, message] of OUT) {
    it(`speech out: ${what} → a clear message, nothing cached`, async () => {
      t.openai!.failNextAudio(...faults);
      const replies = await say('/pronounce la cebolla lang:es');
      expect(replyText(replies)).toMatch(message);
      expect(replies![0]!.voice).toBeUndefined();
      // Positive control: the next request works and is a real provider call (the failure was not cached).
      const before = t.openai!.audioRequests.length;
      const ok = await say('/pronounce la cebolla lang:es');
      expect(ok![0]!.voice).toBeDefined();
      expect(t.openai!.audioRequests.length).toBe(before + 1);
    });
  }

  const IN: Array<[string, AudioFault[], RegExp]> = [
    ['a 503 (and its retry)', [{ status: 503 }, { status: 503 }], /not reachable right now/],
    ['no answer (slow)', [{ hang: true }], /took too long/],
    ['an empty transcript', [{ transcript: '   ' }], /could not hear any words/],
    ['a transcript in the wrong language', [{ transcript: 'I would like some bread and a coffee please, thank you very much' }], /does not sound like the language/],
  ];
  for (const [what, faults, message] of IN) {
    it(`speech in, during a role-play: ${what} → a clear message, no turn taken, the role-play stays open`, async () => {
      const started = await say('/simulate at the bakery');
      const sessionId = started![0]!.simulationSessionId!;
      t.openai!.failNextAudio(...faults);
      expect(replyText(await speak())).toMatch(message);
      expect(await turns()).toBe(0);
      expect((await t.prisma.simulationSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe('active');
      // Positive control: the next voice message is a turn of the same role-play.
      expect(replyText(await speak())).toContain(`I heard: ${SPOKEN}`);
      expect(await turns()).toBe(1);
    });
  }

  it('speech provider down (connection refused): a clear message, text still works', async () => {
    await t.close();
    t = await createTestCore({ env: { ...env, SPEECH_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` } });
    expect(replyText(await say('/pronounce la cebolla lang:es'))).toMatch(/not reachable right now/);
    await say('/simulate at the bakery');
    expect(replyText(await speak())).toMatch(/not reachable right now/);
    expect(replyText(await say('Hola, quiero pan'))).toContain('Panadero');
  });

  it('no speech provider: voice says it is not set up, nothing crashes', async () => {
    await t.close();
    t = await createTestCore({ env: { ...env, VOICE_ENABLED: 'false' } });
    expect(replyText(await say('/pronounce la cebolla lang:es'))).toMatch(/not set up/);
    expect(replyText(await speak())).toMatch(/not set up/);
    expect(t.openai!.audioRequests).toHaveLength(0);
  });
});
