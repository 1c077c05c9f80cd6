// The voice journey on Telegram, as a learner takes it, through the real core: the fake Bot API → the Telegram
// adapter → the real front door, real SQLite, the real openai SDK against the fake OpenAI server's audio routes
// (real Ogg Opus from espeak-ng + opusenc; its transcriptions "hear" the clips it made).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/actions.ts';
import { isOggOpus, oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import type { DeliveredMessage, FakeChat, FakeUser } from '../support/fake-telegram/index.ts';
import { startHarness, type Harness } from './support/harness.ts';

const SPOKEN = 'Hola, quiero pan y un café, por favor.';

let core: TestCore;
let h: Harness;
let ana: FakeUser;
let dm: FakeChat;

beforeEach(async () => {
  core = await createTestCore({ env: { VOICE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'tg-voice-')), ACTIVITY_LOG_MAX_AGE_MS: '10' } });
  // The tutor corrects the spoken turn, so /end has something from it to list.
  core.openai!.respondWith((req) => {
    if (req.schemaName !== 'simulation_turn') return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
    const spoken = req.messages.some((m) => m.content.includes(SPOKEN));
    return { reply: 'Claro. ¿Algo más?', corrections: spoken ? [{ original: 'quiero pan', corrected: 'quiero un pan', explanation: 'Article.' }] : [], newWords: [] };
  });
  h = await startHarness(core.frontDoor);
  ana = h.fake.user({ first_name: 'Ana', username: 'ana', language_code: 'en' });
  dm = h.fake.privateChat(ana);
});

afterEach(async () => {
  await h.adapter.stop();
  await core.close();
});

const speechRequests = () => core.openai!.audioRequests.filter((r) => r.route === 'speech').length;

/** Waits for the first bot message after `before` that matches. */
async function next(before: number, match: (m: DeliveredMessage) => boolean, what: string): Promise<DeliveredMessage> {
  let found: DeliveredMessage | undefined;
  await h.fake.waitUntil(() => (found = h.fake.botMessages(dm).slice(before).find(match)) !== undefined, 20_000, what);
  return found!;
}

async function say(text: string, match: (m: DeliveredMessage) => boolean = () => true): Promise<DeliveredMessage> {
  const before = h.fake.botMessages(dm).length;
  h.fake.sendText(dm, ana, text);
  return next(before, match, `the answer to ${text}`);
}

function expectVoiceNote(message: DeliveredMessage): void {
  expect(message.voice, message.text).toBeDefined();
  expect(isOggOpus(message.voice!.bytes)).toBe(true);
  expect(message.voice!.duration).toBe(Math.max(1, Math.round(oggOpusDurationSeconds(message.voice!.bytes))));
}

it.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('/pronounce, 🔊 under the tutor line, a spoken turn, voice mode, /end, and the activity log'), async () => {
  await say('/settings lang:Spanish base:en level:beginner');

  // /pronounce: one voice note with the text as its caption; the same text again costs no speech request.
  const word = await say('/pronounce la cebolla lang:es');
  expect(word.text).toBe('🔊 la cebolla');
  expectVoiceNote(word);
  expect(speechRequests()).toBe(1);
  const again = await say('/pronounce la cebolla lang:es');
  expect(again.voice!.bytes.equals(word.voice!.bytes)).toBe(true);
  expect(speechRequests()).toBe(1);

  // A role-play: the tutor's opening line carries a 🔊 button; pressing it sends that line as a voice note.
  const scenario = await say('/simulate ordering at a bakery', (m) => m.buttons.flat().some((b) => decodeAction(b.callback_data!)?.kind === 'hear'));
  const hear = scenario.buttons.flat().find((b) => decodeAction(b.callback_data!)?.kind === 'hear')!;
  expect(hear.text).toBe('🔊 Listen');
  const beforeHear = h.fake.botMessages(dm).length;
  const query = h.fake.pressButton(dm, ana, scenario.message_id, hear.callback_data!);
  expectVoiceNote(await next(beforeHear, (m) => m.voice !== undefined, 'the spoken line'));
  await h.fake.waitUntil(() => h.fake.callbackAnswer(query).answered);

  // A voice note as the learner's turn: what was heard comes first, then the tutor answers.
  const clip = spokenOgg(SPOKEN, 'es');
  const beforeTurn = h.fake.botMessages(dm).length;
  h.fake.sendVoice(dm, ana, { bytes: Buffer.from(clip), duration: Math.max(1, Math.round(oggOpusDurationSeconds(clip))) });
  const turn = await next(beforeTurn, (m) => m.text.includes('I heard'), 'the answer to the voice note');
  expect(turn.text.startsWith(`🎙 I heard: ${SPOKEN}`)).toBe(true);
  expect(turn.text).toContain('Claro. ¿Algo más?');
  expect(turn.voice).toBeUndefined(); // voice mode is off: text only
  const transcription = core.openai!.audioRequests.find((r) => r.route === 'transcriptions')!;
  expect(Buffer.from(transcription.file!.data).equals(Buffer.from(clip))).toBe(true);

  // Voice mode: the tutor's lines now come as voice notes too (the line rides as the caption).
  await say('/settings voice:on');
  const spokenLine = await say('Una barra, por favor');
  expect(spokenLine.text).toContain('Claro. ¿Algo más?');
  expectVoiceNote(spokenLine);

  // /end lists the correction of the spoken turn.
  await say('/end', (m) => m.text.includes('quiero pan → quiero un pan'));
  expect(h.fake.failedCalls()).toEqual([]);

  await core.core.activityLog.flush();
  const rows = await core.prisma.activityLog.findMany({ where: { contentType: { in: ['pronunciation', 'transcription'] }, direction: 'output' }, orderBy: { timestamp: 'asc' } });
  const byType = (type: string) => rows.filter((r) => r.contentType === type).map((r) => r.queryText);
  expect(byType('transcription')).toEqual([SPOKEN]);
  expect(byType('pronunciation').filter((text) => text === 'la cebolla')).toHaveLength(2); // the second from the cache
  expect(byType('pronunciation').length).toBeGreaterThanOrEqual(4); // two /pronounce, 🔊, the voice-mode line
}, 90_000);
