// Voice on Discord, adapter and fake: a learner's voice message reaches the front door described before any
// download; the bot's audio goes out as a real voice message (IS_VOICE_MESSAGE, one Ogg Opus file, duration,
// waveform) after the reply's text and buttons, or as an audio attachment where voice messages are not allowed.
// The fake refuses what Discord refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.ts';
import { oggOpusDurationSeconds } from '../../src/core/audio/ogg-opus.ts';
import { DEFAULT_BOT_PERMISSIONS, FLAG_IS_VOICE_MESSAGE, PERMISSIONS, type FakeMessage } from '../support/fake-discord/index.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import { startHarness, useStubHarness, type Harness } from './helpers/harness.ts';
import { createStubFrontDoor } from './helpers/stub-front-door.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';

const ctx = useStubHarness();
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

const isVoice = (m: FakeMessage) => (m.flags & FLAG_IS_VOICE_MESSAGE) !== 0;

/** The multipart upload the bot made for a message (the fake keeps the bytes of every file). */
function uploadOf(h: Harness, message: FakeMessage) {
  const call = h.fake.calls.find((c) => c.status < 300 && (c.response as { id?: string } | null)?.id === message.id && c.files.length > 0);
  return call!;
}

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('a learner speaks'), () => {
  it('passes a voice message to the front door with duration and size known before the download, which yields the bytes', async () => {
    const heard: Array<{ seconds: number; size: number; mime?: string; bytes: Uint8Array }> = [];
    ctx.frontDoor.onVoice = async (incoming) => {
      heard.push({ seconds: incoming.voice.durationSeconds, size: incoming.voice.sizeBytes, ...(incoming.voice.mimeType ? { mime: incoming.voice.mimeType } : {}), bytes: await incoming.voice.download() });
      return [{ blocks: [{ kind: 'text', text: '🎙 I heard: la cebolla' }] }];
    };
    const sent = ctx.h.fake.sendVoiceMessage({ author: ctx.h.bob, dm: true, data: clip, durationSecs: 1.3 });
    const answer = await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn(sent.channelId).find((m) => m.content.includes('I heard')), 15_000, 'the answer');
    expect(answer.reference?.message_id).toBe(sent.id);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ seconds: 1.3, size: clip.length, mime: 'audio/ogg' });
    expect(Buffer.from(heard[0]!.bytes).equals(clip)).toBe(true);
    expect(ctx.frontDoor.of('voice')[0]!.options).toEqual({ addressed: true });
  });

  it('refuses a voice message over 20 MB before downloading it, and leaves unaddressed guild voice messages alone', async () => {
    ctx.frontDoor.onVoice = (incoming, options) => (options.addressed ? [{ blocks: [{ kind: 'text', text: `voice ${incoming.voice.sizeBytes}` }] }] : null);
    ctx.h.fake.sendVoiceMessage({ author: ctx.h.alice, data: clip, durationSecs: 1 }); // in the guild channel, not for the bot
    const big = ctx.h.fake.sendVoiceMessage({ author: ctx.h.bob, dm: true, data: clip, durationSecs: 50, size: 21 * 1024 * 1024 });
    const refusal = await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn(big.channelId).find((m) => m.reference?.message_id === big.id), 15_000, 'the refusal');
    expect(refusal.content).toBe('That voice message is too large (at most 20 MB).');
    // Positive control: a normal one afterwards is handled, and only the unaddressed one and it reached the core.
    const small = ctx.h.fake.sendVoiceMessage({ author: ctx.h.bob, dm: true, data: clip, durationSecs: 1 });
    await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn(small.channelId).find((m) => m.reference?.message_id === small.id), 15_000, 'the control');
    expect(ctx.frontDoor.of('voice').map((c) => [c.incoming.voice?.sizeBytes, c.options.addressed])).toEqual([
      [clip.length, false],
      [clip.length, true],
    ]);
  });
});

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('the bot speaks'), () => {
  it('sends the text and buttons first, then a voice message alone with duration and waveform (channel messages)', async () => {
    ctx.frontDoor.onText = () => [voiceReply('🔊 la cebolla', { buttons: [[{ label: '🔊 Listen', data: 'L:1' }]], rateGenerationId: 5 })];
    const asked = ctx.h.fake.sendMessage({ author: ctx.h.alice, content: 'say it', mentionBot: true });
    const voice = await ctx.h.fake.waitFor(() => ctx.h.fake.botMessagesIn().find(isVoice), 15_000, 'the voice message');
    const text = ctx.h.fake.botMessagesIn().find((m) => m.reference?.message_id === asked.id)!;
    expect(text.content).toBe('🔊 la cebolla');
    // The buttons, then the rating row, sit under the text, which the learner rates, not under the audio.
    expect(text.components).toHaveLength(2);
    expect(JSON.stringify(text.components[1])).toContain('1|r|5|5');
    expect(BigInt(text.id) < BigInt(voice.id)).toBe(true);
    expect(voice.content).toBe('');
    expect(voice.components).toEqual([]);
    expect(voice.attachments).toHaveLength(1);
    const attachment = voice.attachments[0]!;
    expect(attachment.filename).toBe('pronounce.ogg');
    expect(attachment.duration_secs).toBeCloseTo(oggOpusDurationSeconds(clip), 3);
    const waveform = Buffer.from(String(attachment.waveform), 'base64');
    expect(waveform.length).toBe(Math.round(oggOpusDurationSeconds(clip) * 10));
    expect(new Set(waveform).size).toBeGreaterThan(1); // drawn from the clip, not a flat line
    const upload = uploadOf(ctx.h, voice);
    expect(upload.files[0]!.data!.equals(clip)).toBe(true);
    expect(ctx.h.fake.rejected()).toEqual([]);
  });

  it('answers a slash command with the text in place of "thinking…" and the voice message as a follow-up; audio alone replaces the placeholder', async () => {
    ctx.frontDoor.onCommand = (name) => (name === 'help' ? [voiceReply(undefined)] : [voiceReply('🔊 la cebolla')]);
    const withText = ctx.h.fake.slashCommand({ name: 'flashcards', options: { topic: 'onions' }, user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(withText.id).followUps.length === 1, 15_000, 'the follow-up');
    const original = ctx.h.fake.message(ctx.h.fake.interaction(withText.id).originalMessageId!)!;
    const followUp = ctx.h.fake.message(ctx.h.fake.interaction(withText.id).followUps[0]!)!;
    expect(original).toMatchObject({ content: '🔊 la cebolla', loading: false, deleted: false });
    expect(isVoice(followUp)).toBe(true);

    const alone = ctx.h.fake.slashCommand({ name: 'help', user: ctx.h.alice });
    await ctx.h.fake.waitFor(() => ctx.h.fake.interaction(alone.id).followUps.length === 1, 15_000, 'the voice follow-up');
    expect(ctx.h.fake.message(ctx.h.fake.interaction(alone.id).originalMessageId!)!.deleted).toBe(true);
    expect(isVoice(ctx.h.fake.message(ctx.h.fake.interaction(alone.id).followUps[0]!)!)).toBe(true);
    expect(ctx.h.fake.rejected()).toEqual([]);
  });
});

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('where voice messages are not allowed'), () => {
  let h: Harness;
  const frontDoor = createStubFrontDoor();
  beforeAll(async () => {
    h = await startHarness({ frontDoor, botPermissions: DEFAULT_BOT_PERMISSIONS & ~PERMISSIONS.SEND_VOICE_MESSAGES });
  });
  afterAll(() => h?.close());

  it('falls back to the clip as an ordinary audio attachment after Discord answers 50173', async () => {
    frontDoor.onText = () => [voiceReply('🔊 la cebolla')];
    h.fake.sendMessage({ author: h.alice, content: 'say it', mentionBot: true });
    const audio = await h.fake.waitFor(() => h.fake.botMessagesIn().find((m) => m.attachments.length === 1), 15_000, 'the audio attachment');
    expect(isVoice(audio)).toBe(false);
    expect(audio.attachments[0]!.filename).toBe('pronounce.ogg');
    expect(h.fake.rejected().map((c) => (c.response as { code: number }).code)).toEqual([50173]);
  });
});

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('the fake refuses what Discord refuses'), () => {
  async function post(h: Harness, payload: Record<string, unknown>, file: { data: Buffer; name: string } | undefined, messageId?: string) {
    const form = new FormData();
    form.append('payload_json', JSON.stringify(payload));
    if (file) form.append('files[0]', new Blob([file.data], { type: 'audio/ogg' }), file.name);
    const path = `/channels/${h.fake.channelId}/messages${messageId ? `/${messageId}` : ''}`;
    const response = await fetch(`${h.fake.apiBase}/v10${path}`, { method: messageId ? 'PATCH' : 'POST', headers: { authorization: `Bot ${h.fake.token}` }, body: form });
    return { status: response.status, body: (await response.json()) as { code?: number; id?: string } };
  }
  const meta = (extra: Record<string, unknown> = {}) => ({ flags: FLAG_IS_VOICE_MESSAGE, attachments: [{ id: '0', filename: 'v.ogg', duration_secs: 1.2, waveform: 'AAAA', ...extra }] });

  it('accepts a proper voice message and refuses content, non-Ogg files, missing metadata and edits', async () => {
    const good = await post(ctx.h, meta(), { data: clip, name: 'v.ogg' });
    expect(good.status).toBe(200);
    expect((await post(ctx.h, { ...meta(), content: 'hi' }, { data: clip, name: 'v.ogg' })).body.code).toBe(50159);
    expect((await post(ctx.h, meta(), { data: Buffer.from('ID3 not an ogg file at all, just some bytes'), name: 'v.ogg' })).body.code).toBe(50160);
    expect((await post(ctx.h, meta(), undefined)).body.code).toBe(50160);
    expect((await post(ctx.h, meta({ duration_secs: undefined }), { data: clip, name: 'v.ogg' })).body.code).toBe(50161);
    expect((await post(ctx.h, meta({ waveform: Buffer.alloc(257).toString('base64') }), { data: clip, name: 'v.ogg' })).body.code).toBe(50161);
    expect((await post(ctx.h, { content: 'edited' }, undefined, good.body.id)).body.code).toBe(50162);
  });
});
