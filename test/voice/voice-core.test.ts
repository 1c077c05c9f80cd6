// Voice through the real core: the real openai SDK against the fake OpenAI server's audio routes (real Ogg Opus
// from espeak-ng + opusenc), real SQLite, the front door called as an adapter calls it.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/actions.ts';
import { isOggOpus, oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import type { IncomingVoice, Reply } from '../../src/core/types.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { tutorContent } from '../support/tutor-responder.ts';

const SPOKEN = 'Hola, quiero pan y un café, por favor.';

/** A voice message as an adapter describes it: size and length known, bytes fetched only on demand. */
function voiceNote(data: Uint8Array, overrides: Partial<IncomingVoice> = {}): IncomingVoice & { downloads: number } {
  const note = {
    durationSeconds: oggOpusDurationSeconds(data),
    sizeBytes: data.byteLength,
    mimeType: 'audio/ogg',
    downloads: 0,
    async download() {
      note.downloads += 1;
      return data;
    },
    ...overrides,
  };
  return note;
}

function buttonsOf(replies: Reply[] | null) {
  return (replies ?? []).flatMap((r) => (r.buttons ?? []).flat());
}

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('voice in the core'), () => {
  let t: TestCore;
  let cacheDir: string;
  const env = () => ({ VOICE_CACHE_DIR: cacheDir, LLM_TIMEOUT_MS: '1500', ACTIVITY_LOG_MAX_AGE_MS: '10' });

  beforeEach(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'voice-cache-'));
    t = await createTestCore({ env: env() });
  });
  afterEach(async () => {
    await t.close();
  });

  const me = () => incomingFrom(t.logger, { id: 'ana' });
  const say = (text: string, who = me()) => t.frontDoor.text(who, text, { addressed: true });
  const speakTurn = (note: IncomingVoice, who = me()) => t.frontDoor.voice({ ...who, voice: note }, { addressed: true });
  const speechCalls = () => t.openai!.audioRequests.filter((r) => r.route === 'speech').length;
  const transcriptionCalls = () => t.openai!.audioRequests.filter((r) => r.route === 'transcriptions').length;

  it('/pronounce sends Ogg Opus audio; the same text again costs no second speech request, also after a restart', async () => {
    const first = await say('/pronounce la cebolla lang:es');
    const voice = first![0]!.voice!;
    expect(isOggOpus(voice.data)).toBe(true);
    expect(voice.durationSeconds).toBeGreaterThan(0);
    expect(voice.waveform).toHaveLength(256);
    expect(t.openai!.audioRequests[0]!.fields).toMatchObject({ input: 'la cebolla', response_format: 'opus', model: 'gpt-4o-mini-tts' });
    expect(speechCalls()).toBe(1);

    const again = await say('/pronounce la cebolla lang:es');
    expect(Buffer.from(again![0]!.voice!.data).equals(Buffer.from(voice.data))).toBe(true);
    expect(speechCalls()).toBe(1);
    // Positive control: another text is another request.
    await say('/pronounce el ajo lang:es');
    expect(speechCalls()).toBe(2);

    // A new core on the same cache folder (a restart) still has the clip.
    const url = t.openai!.url;
    const restarted = await createTestCore({ env: env(), openaiUrl: url });
    try {
      const afterRestart = await restarted.frontDoor.text(incomingFrom(restarted.logger, { id: 'ana' }), '/pronounce el ajo lang:es', { addressed: true });
      expect(isOggOpus(afterRestart![0]!.voice!.data)).toBe(true);
    } finally {
      await restarted.close();
    }
    expect(speechCalls()).toBe(2);

    await t.core.activityLog.flush();
    const rows = await t.prisma.activityLog.findMany({ where: { contentType: 'pronunciation', direction: 'output' }, orderBy: { timestamp: 'asc' } });
    expect(rows.map((r) => [r.queryText, (r.responseMetadata as { cached: boolean }).cached])).toEqual([
      ['la cebolla', false],
      ['la cebolla', true],
      ['el ajo', false],
    ]);
    expect((rows[0]!.responseMetadata as { seconds: number }).seconds).toBeGreaterThan(0);
  });

  it('a voice message in a role-play is transcribed and taken as the turn; /end lists the corrections of that spoken turn', async () => {
    t.openai!.respondWith((req) => {
      if (req.schemaName !== 'simulation_turn') return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
      const spoken = req.messages.some((m) => m.content.includes(SPOKEN));
      return {
        reply: 'Claro. ¿Algo más?',
        corrections: spoken ? [{ original: 'quiero pan', corrected: 'quiero un pan', explanation: 'Article.' }] : [],
        newWords: [],
      };
    });
    const started = await say('/simulate ordering at a bakery');
    expect(started![0]!.simulationSessionId).toBeGreaterThan(0);
    const note = voiceNote(spokenOgg(SPOKEN, 'es'));
    const replies = await speakTurn(note);
    const text = replyText(replies);
    expect(text.startsWith(`🎙 I heard: ${SPOKEN}`)).toBe(true);
    expect(text).toContain('Claro. ¿Algo más?');
    // The transcription asked for the role-play's language.
    expect(t.openai!.audioRequests.at(-1)!.fields).toMatchObject({ language: 'es', model: 'whisper-1' });
    expect(t.openai!.audioRequests.at(-1)!.file!.data.byteLength).toBe(note.sizeBytes);
    // A 🔊 under the tutor's line.
    expect(buttonsOf(replies).map((b) => decodeAction(b.data)?.kind)).toContain('hear');

    const ended = replyText(await say('/end'));
    expect(ended).toContain('quiero pan → quiero un pan');

    await t.core.activityLog.flush();
    const transcripts = await t.prisma.activityLog.findMany({ where: { contentType: 'transcription', direction: 'output' } });
    expect(transcripts.map((r) => r.queryText)).toEqual([SPOKEN]);
  });

  it('outside a role-play a voice message gets what was heard and how to use voice', async () => {
    const replies = await speakTurn(voiceNote(spokenOgg(SPOKEN, 'es')));
    const text = replyText(replies);
    expect(text).toContain(`🎙 I heard: ${SPOKEN}`);
    expect(text).toContain('/simulate');
    expect(text).toContain('/pronounce');
  });

  it('refuses a too long or too large voice message before downloading it and before any call', async () => {
    const audio = spokenOgg(SPOKEN, 'es');
    const long = voiceNote(audio, { durationSeconds: 61 });
    expect(replyText(await speakTurn(long))).toContain('at most 60 seconds');
    const large = voiceNote(audio, { sizeBytes: 21 * 1024 * 1024 });
    expect(replyText(await speakTurn(large))).toContain('too large');
    expect(long.downloads + large.downloads).toBe(0);
    expect(transcriptionCalls()).toBe(0);
    // Positive control: the same audio with its true description is downloaded and transcribed.
    const fine = voiceNote(audio);
    expect(replyText(await speakTurn(fine))).toContain('I heard');
    expect(fine.downloads).toBe(1);
    expect(transcriptionCalls()).toBe(1);
  });

  it('the 🔊 buttons: one per revealed flashcard, and under role-play lines; a forged line from another chat is refused', async () => {
    const cards = await say('/flashcards kitchen count:3');
    const reveal = buttonsOf(cards).find((b) => decodeAction(b.data)?.kind === 'reveal')!;
    const revealed = await t.frontDoor.action(me(), reveal.data);
    const listen = buttonsOf(revealed).filter((b) => decodeAction(b.data)?.kind === 'listen');
    expect(listen).toHaveLength(3);
    const heard = await t.frontDoor.action(me(), listen[1]!.data);
    expect(isOggOpus(heard[0]!.voice!.data)).toBe(true);

    const started = await say('/simulate at the market');
    const hear = buttonsOf(started).find((b) => decodeAction(b.data)?.kind === 'hear')!;
    const line = await t.frontDoor.action(me(), hear.data);
    expect(isOggOpus(line[0]!.voice!.data)).toBe(true);
    const stranger = incomingFrom(t.logger, { id: 'eve' });
    const forged = await t.frontDoor.action(stranger, hear.data);
    expect(forged[0]!.voice).toBeUndefined();
    expect(replyText(forged)).toBe(replyText(await t.frontDoor.action(stranger, '1|h|999999|0')));
  });

  it('voice mode: with /settings voice:on the tutor lines also come as voice notes', async () => {
    await say('/simulate at the market');
    const off = await say('Hola, quiero pan');
    expect(off![0]!.voice).toBeUndefined();
    expect(replyText(await say('/settings voice:on'))).toContain('Voice replies');
    const on = await say('Una barra, por favor');
    expect(isOggOpus(on![0]!.voice!.data)).toBe(true);
  });

  it('refuses over the daily audio allowance with when to try again, before any call', async () => {
    await t.close();
    t = await createTestCore({ env: { ...env(), VOICE_DAILY_SECONDS: '1' } });
    await say('/pronounce la cebolla lang:es'); // uses the one second
    const before = t.openai!.audioRequests.length;
    const refused = replyText(await say('/pronounce el ajo lang:es'));
    expect(refused).toMatch(/Voice works again in \d+ h/);
    const note = voiceNote(spokenOgg(SPOKEN, 'es'));
    expect(replyText(await speakTurn(note))).toMatch(/Voice works again in \d+ h/);
    expect(note.downloads).toBe(0);
    expect(t.openai!.audioRequests.length).toBe(before);
  });

  it('speech calls count against the per-learner limit like generations; a cached clip costs nothing', async () => {
    await t.close();
    t = await createTestCore({ env: { ...env(), USER_CALLS_PER_MINUTE: '1' } });
    expect(isOggOpus((await say('/pronounce la cebolla lang:es'))![0]!.voice!.data)).toBe(true);
    // Cached: no call, so no limit.
    expect(isOggOpus((await say('/pronounce la cebolla lang:es'))![0]!.voice!.data)).toBe(true);
    const note = voiceNote(spokenOgg(SPOKEN, 'es'));
    expect(replyText(await say('/pronounce el ajo lang:es'))).toMatch(/Please wait \d+ s/);
    expect(replyText(await speakTurn(note))).toMatch(/Please wait \d+ s/);
    expect(t.openai!.audioRequests).toHaveLength(1);
    // Another learner has their own allowance of calls (the positive control).
    expect(isOggOpus((await say('/pronounce el ajo lang:es', incomingFrom(t.logger, { id: 'ben' })))![0]!.voice!.data)).toBe(true);
    expect(t.openai!.audioRequests).toHaveLength(2);
  });

  it('/forget removes the cached clips and the transcripts', async () => {
    await say('/pronounce la cebolla lang:es');
    await speakTurn(voiceNote(spokenOgg(SPOKEN, 'es')));
    await t.core.activityLog.flush();
    const user = await t.prisma.user.findFirstOrThrow();
    expect(readdirSync(join(cacheDir, String(user.id)))).toHaveLength(1);
    expect(await t.prisma.activityLog.count({ where: { contentType: 'transcription' } })).toBeGreaterThan(0);
    await say('/forget confirm');
    await t.core.activityLog.flush();
    expect(existsSync(join(cacheDir, String(user.id)))).toBe(false);
    expect(await t.prisma.activityLog.count({ where: { contentType: { in: ['transcription', 'pronunciation'] } } })).toBe(0);
  });
});
