// The voice journey on Discord, as a learner takes it, through the real core: the fake Discord (REST + gateway)
// → the Discord adapter → the real front door, real SQLite, the real openai SDK against the fake OpenAI server's
// audio routes (real Ogg Opus from espeak-ng + opusenc; its transcriptions "hear" the clips it made).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/actions.ts';
import { isOggOpus, oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { FLAG_IS_VOICE_MESSAGE, type FakeInteraction, type FakeMessage } from '../support/fake-discord/index.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

const SPOKEN = 'Hola, quiero pan y un café, por favor.';

let core: TestCore;
let h: Harness;

beforeAll(async () => {
  core = await createTestCore({ env: { VOICE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'dc-voice-')), ACTIVITY_LOG_MAX_AGE_MS: '10' } });
  core.openai!.respondWith((req) => {
    if (req.schemaName !== 'simulation_turn') return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
    const spoken = req.messages.some((m) => m.content.includes(SPOKEN));
    return { reply: 'Claro. ¿Algo más?', corrections: spoken ? [{ original: 'quiero pan', corrected: 'quiero un pan', explanation: 'Article.' }] : [], newWords: [] };
  });
  h = await startHarness({ frontDoor: core.frontDoor, logger: core.logger });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await core?.close();
});

const isVoice = (m: FakeMessage) => (m.flags & FLAG_IS_VOICE_MESSAGE) !== 0;
const answersOf = (i: FakeInteraction) => [...h.fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
const speechRequests = () => core.openai!.audioRequests.filter((r) => r.route === 'speech').length;

/** The bytes the bot uploaded for a message. */
function uploaded(message: FakeMessage): Buffer {
  const call = h.fake.calls.find((c) => c.status < 300 && (c.response as { id?: string } | null)?.id === message.id && c.files.length === 1);
  return call!.files[0]!.data!;
}

function expectVoiceMessage(message: FakeMessage): void {
  expect(isVoice(message)).toBe(true);
  expect(message.content).toBe('');
  const bytes = uploaded(message);
  expect(isOggOpus(bytes)).toBe(true);
  expect(message.attachments[0]!.duration_secs).toBeCloseTo(oggOpusDurationSeconds(bytes), 3);
  expect(Buffer.from(String(message.attachments[0]!.waveform), 'base64').length).toBeGreaterThan(0);
}

it.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('/pronounce, 🔊 under the tutor line, a spoken turn in the thread, voice mode, /end, and the activity log'), async () => {
  const settings = h.fake.slashCommand({ name: 'settings', options: { lang: 'es', base: 'en', level: 'A1' }, user: h.alice });
  await h.fake.waitFor(() => answersOf(settings).length > 0, 20_000, 'the settings');

  // /pronounce: the text in place of "thinking…", then the voice message; the same text again: no speech request.
  const pronounce = h.fake.slashCommand({ name: 'pronounce', options: { text: 'la cebolla', lang: 'es' }, user: h.alice });
  const voice = await h.fake.waitFor(() => answersOf(pronounce).find(isVoice), 20_000, 'the voice message');
  expect(answersOf(pronounce).find((m) => !isVoice(m))!.content).toBe('🔊 la cebolla');
  expectVoiceMessage(voice);
  expect(speechRequests()).toBe(1);
  const again = h.fake.slashCommand({ name: 'pronounce', options: { text: 'la cebolla', lang: 'es' }, user: h.alice });
  const second = await h.fake.waitFor(() => answersOf(again).find(isVoice), 20_000, 'the second voice message');
  expect(uploaded(second).equals(uploaded(voice))).toBe(true);
  expect(speechRequests()).toBe(1);

  // A role-play in its thread; the 🔊 button under the tutor's opening line sends it as a voice message.
  const simulate = h.fake.slashCommand({ name: 'simulate', options: { topic: 'ordering at a bakery' }, user: h.alice });
  const scenario = await h.fake.waitFor(
    () => answersOf(simulate).find((m) => hearId(m) !== undefined),
    20_000,
    'the scenario',
  );
  // The thread starts from the reply's first message (the scenario card); the 🔊 sits under the line below it.
  const thread = await h.fake.waitFor(() => h.fake.threads().find((c) => answersOf(simulate).some((m) => m.id === c.id)), 20_000, 'the thread');
  const press = h.fake.pressButton({ message: scenario, customId: hearId(scenario)!, user: h.alice });
  expectVoiceMessage(await h.fake.waitFor(() => answersOf(press).find(isVoice), 20_000, 'the spoken line'));

  // A voice message in the thread is the learner's turn: "I heard: …", then the tutor.
  const clip = spokenOgg(SPOKEN, 'es');
  h.fake.sendVoiceMessage({ author: h.alice, channelId: thread.id, data: clip, durationSecs: oggOpusDurationSeconds(clip) });
  const turn = await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).find((m) => m.content.includes('I heard')), 20_000, 'the turn');
  expect(turn.content.startsWith(`🎙 I heard: ${SPOKEN}`)).toBe(true);
  expect(turn.content).toContain('Claro. ¿Algo más?');
  expect(h.fake.botMessagesIn(thread.id).some(isVoice)).toBe(false); // voice mode is off
  const transcription = core.openai!.audioRequests.find((r) => r.route === 'transcriptions')!;
  expect(Buffer.from(transcription.file!.data).equals(Buffer.from(clip))).toBe(true);

  // Voice mode: the tutor's next line comes as text and as a voice message after it.
  const voiceOn = h.fake.slashCommand({ name: 'settings', options: { voice: true }, user: h.alice });
  await h.fake.waitFor(() => answersOf(voiceOn).length > 0, 20_000, 'voice on');
  h.fake.sendMessage({ author: h.alice, channelId: thread.id, content: 'Una barra, por favor.' });
  const spokenLine = await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).find(isVoice), 20_000, 'the voice-mode line');
  expectVoiceMessage(spokenLine);

  const end = h.fake.slashCommand({ name: 'end', user: h.alice, channelId: thread.id });
  await h.fake.waitFor(() => answersOf(end).some((m) => JSON.stringify([m.content, m.embeds]).includes('quiero pan → quiero un pan')), 20_000, 'the corrections');
  expect(h.fake.rejected().filter((c) => !c.path.includes('/threads'))).toEqual([]);

  await core.core.activityLog.flush();
  const rows = await core.prisma.activityLog.findMany({ where: { contentType: { in: ['pronunciation', 'transcription'] }, direction: 'output' } });
  expect(rows.filter((r) => r.contentType === 'transcription').map((r) => r.queryText)).toEqual([SPOKEN]);
  expect(rows.filter((r) => r.contentType === 'pronunciation' && r.queryText === 'la cebolla')).toHaveLength(2);
  expect(rows.filter((r) => r.contentType === 'pronunciation').length).toBeGreaterThanOrEqual(4);
}, 120_000);

function hearId(message: FakeMessage): string | undefined {
  const ids = message.components.flatMap((row) => ((row as { components?: Array<{ custom_id?: string }> }).components ?? []).map((b) => b.custom_id ?? ''));
  return ids.find((id) => decodeAction(id)?.kind === 'hear');
}
