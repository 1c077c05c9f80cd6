// Voice on Telegram, adapter and fake: a learner's voice note reaches the front door described before any
// download (and is refused over getFile's 20 MB); the bot's audio goes out with sendVoice (Ogg Opus, with its
// duration), the text riding as caption with the keyboard when short. The fake refuses what Telegram refuses.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import { createStubFrontDoor } from './support/stub-front-door.ts';
import { startHarness } from './support/harness.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';

let clip: Buffer;
beforeAll(async () => {
  if (!AUDIO_TOOLS_MISSING) clip = Buffer.from(spokenOgg('la cebolla', 'es'));
});

function voiceReply(text: string | undefined, extra: Partial<Reply> = {}): Reply {
  return {
    blocks: text ? [{ kind: 'text', text }] : [],
    voice: { data: clip, durationSeconds: oggOpusDurationSeconds(clip), filename: 'pronounce.ogg' },
    ...extra,
  };
}

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('a learner speaks'), () => {
  it('passes a voice note with duration and size known before download; download() fetches the bytes', async () => {
    const heard: Array<{ seconds: number; size: number; mime?: string; bytes: Uint8Array }> = [];
    const stub = createStubFrontDoor({
      voice: async (incoming) => {
        heard.push({ seconds: incoming.voice.durationSeconds, size: incoming.voice.sizeBytes, ...(incoming.voice.mimeType ? { mime: incoming.voice.mimeType } : {}), bytes: await incoming.voice.download() });
        return [{ blocks: [{ kind: 'text', text: '🎙 I heard: la cebolla' }] }];
      },
    });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendVoice(chat, alice, { bytes: clip, duration: 2 });
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    expect(fake.botMessages(chat)[0]!.text).toBe('🎙 I heard: la cebolla');
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ seconds: 2, size: clip.length, mime: 'audio/ogg' });
    expect(Buffer.from(heard[0]!.bytes).equals(clip)).toBe(true);
    expect(fake.callsTo('getFile')).toHaveLength(1);
  });

  it('in a group, takes a voice note that replies to the bot and ignores others', async () => {
    const stub = createStubFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const group = fake.group();
    fake.sendVoice(group, alice, { bytes: clip, duration: 1 }); // group chatter, not for the bot
    fake.sendText(group, alice, '/simulate@tutor_test_bot café');
    await fake.waitUntil(() => fake.botMessages(group).length === 1);
    const line = fake.botMessages(group)[0]!.message_id;
    fake.sendVoice(group, alice, { bytes: clip, duration: 1 }, { replyTo: line });
    await fake.waitUntil(() => stub.of('voice').length === 2);
    expect(stub.of('voice').map((c) => [c.options.addressed, c.options.replyTo?.messageId])).toEqual([
      [false, undefined],
      [true, String(line)],
    ]);
  });

  it('refuses a voice note over 20 MB without asking for the file, and the front door never sees it', async () => {
    const stub = createStubFrontDoor();
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendVoice(chat, alice, { bytes: clip, duration: 55, size: 21 * 1024 * 1024 });
    fake.sendVoice(chat, alice, { bytes: clip, duration: 1 }); // positive control
    await fake.waitUntil(() => fake.botMessages(chat).length === 2);
    expect(fake.botMessages(chat).map((m) => m.text)).toEqual(['That voice message is too large (at most 20 MB).', 'voice: 1s']);
    expect(stub.of('voice').map((c) => c.incoming.voice?.durationSeconds)).toEqual([1]);
    expect(fake.callsTo('getFile')).toHaveLength(0); // the stub does not download; the adapter did not either
  });
});

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('the bot speaks'), () => {
  it('sends one voice note with the text as caption and the keyboard under it', async () => {
    const stub = createStubFrontDoor({ text: () => [voiceReply('🔊 <b>la</b> cebolla', { buttons: [[{ label: '🔊 Listen', data: 'L:1' }]] })] });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, '/pronounce la cebolla');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    const [note] = fake.botMessages(chat);
    expect(note!.text).toBe('🔊 <b>la</b> cebolla'); // escaped for HTML, shown as written
    expect(note!.buttons.flat().map((b) => b.callback_data)).toEqual(['L:1']);
    expect(note!.voice!.bytes.equals(clip)).toBe(true);
    expect(note!.voice!.duration).toBe(Math.max(1, Math.round(oggOpusDurationSeconds(clip))));
    expect(fake.callsTo('sendMessage')).toEqual([]);
    expect(fake.failedCalls()).toEqual([]);
  });

  it('sends a long text first and the voice note after it; a learner who forbids voice messages gets the clip as a file', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Línea ${i}: el camarero trae la cuenta y pregunta si todo estaba bien.`).join('\n\n');
    const stub = createStubFrontDoor({ text: (_i, input) => [voiceReply(input === 'long' ? long : 'corto')] });
    const { fake } = await startHarness(stub.frontDoor);
    const alice = fake.user();
    const bob = fake.user();
    const aliceChat = fake.privateChat(alice);
    const bobChat = fake.privateChat(bob);
    fake.sendText(aliceChat, alice, 'long');
    await fake.waitUntil(() => fake.botMessages(aliceChat).some((m) => m.voice));
    const messages = fake.botMessages(aliceChat);
    expect(messages.at(-1)!.voice).toBeDefined();
    expect(messages.slice(0, -1).map((m) => m.text).join('\n\n')).toBe(long);

    fake.chatState(bobChat).voiceForbidden = true;
    fake.sendText(bobChat, bob, 'short');
    await fake.waitUntil(() => fake.botMessages(bobChat).length === 1);
    const [file] = fake.botMessages(bobChat);
    expect(file!.document!.bytes.equals(clip)).toBe(true);
    expect(file!.text).toBe('corto');
    expect(fake.failedCalls().map((c) => c.description)).toEqual(['Bad Request: VOICE_MESSAGES_FORBIDDEN']);
  });
});

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('the fake refuses what Telegram refuses'), () => {
  it('checks sendVoice: Ogg Opus bytes, a duration, a caption within 1024 characters', async () => {
    const { fake } = await startHarness(createStubFrontDoor().frontDoor, { start: false });
    const alice = fake.user();
    const chat = fake.privateChat(alice);
    const send = async (bytes: Buffer, fields: Record<string, string>) => {
      const form = new FormData();
      form.append('chat_id', String(chat.id));
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('voice', new Blob([bytes], { type: 'audio/ogg' }), 'v.ogg');
      const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendVoice`, { method: 'POST', body: form });
      return (await response.json()) as { ok: boolean; description?: string };
    };
    expect((await send(clip, { duration: '2' })).ok).toBe(true);
    expect((await send(Buffer.from('ID3\u0004 an mp3 header and nothing else here'), { duration: '2' })).description).toMatch(/VOICE_INVALID/);
    expect((await send(clip, {})).description).toMatch(/duration/);
    expect((await send(clip, { duration: '2', caption: 'x'.repeat(1025) })).description).toBe('Bad Request: message caption is too long');
  });
});
