// Speech out (/pronounce, 🔊, voice-mode role-play lines) and speech in (voice messages), with the same
// discipline as generations: refused before any call when too long, too large or over the learner's daily audio
// allowance; every call under the learner's limits and the global limiter; bounded by a whole-request timeout;
// provider faults turned into clear messages; every call in the activity log (pronunciation, transcription).
import type { BufferedActivityLog } from '../activity-log.ts';
import { isOggOpus, oggOpusDurationSeconds, oggOpusWaveform } from '../audio/ogg-opus.ts';
import { UserFacingError, isUserFacingError } from '../errors.ts';
import { isRecordGone } from '../db/errors.ts';
import { clearlyWrongLanguage } from '../language/wrong-language.ts';
import { hoursUntilUtcMidnight, utcDay } from '../llm/user-limits.ts';
import { cutText, hasControlCharacters, isBlank, stripControlCharacters } from '../safe-text.ts';
import { ClipCache, clipKey } from '../speech/clip-cache.ts';
import { SpeechError, type SpeechSynthesizer, type SpeechTranscriber } from '../speech/provider.ts';
import type { IncomingVoice, OutgoingVoice } from '../types.ts';
import type { RequestScope } from './generation.ts';

/** Largest voice message taken: Telegram's getFile limit (20 MB), under the transcription API's 25 MB. */
export const MAX_VOICE_BYTES = 20 * 1024 * 1024;

/** Longest text spoken in one clip (a sentence or two; a role-play line fits). */
export const SPEAK_MAX_CHARS = 600;

export interface AudioAllowanceStore {
  audioSeconds(userId: number, day: string): Promise<number>;
  addAudioSeconds(userId: number, day: string, seconds: number): Promise<void>;
}

export interface VoiceOptions {
  synthesizer?: SpeechSynthesizer;
  transcriber?: SpeechTranscriber;
  cache: ClipCache;
  allowance: AudioAllowanceStore;
  activityLog: BufferedActivityLog;
  /** The LLM client's limits (LlmClient.limited); absent: calls run unqueued (no model configured). */
  limited?: <T>(userId: number, run: () => Promise<T>) => Promise<T>;
  /** Voice messages longer than this are refused before download. */
  maxSeconds: number;
  /** Voice messages larger than this (the platform's download limit) are refused before download. */
  maxBytes: number;
  /** Seconds of audio in and out per learner and UTC day. */
  dailySeconds: number;
  /** Whole-request bound of one speech call (retries included). */
  timeoutMs: number;
  now?: () => number;
}

const MESSAGE_FOR: Record<SpeechError['kind'], 'voice.unavailable' | 'voice.timeout' | 'voice.badAudio'> = {
  unavailable: 'voice.unavailable',
  rejected: 'voice.unavailable',
  timeout: 'voice.timeout',
  bad_audio: 'voice.badAudio',
};

export class VoiceService {
  private readonly now: () => number;

  constructor(private readonly options: VoiceOptions) {
    this.now = options.now ?? Date.now;
  }

  get canSpeak(): boolean {
    return this.options.synthesizer !== undefined;
  }

  get canListen(): boolean {
    return this.options.transcriber !== undefined;
  }

  /** `text` spoken in `language` as Ogg Opus: from the learner's clip cache, else one provider call. */
  async speak(scope: RequestScope, text: string, language: string, filename = 'voice.ogg'): Promise<OutgoingVoice> {
    const synthesizer = this.options.synthesizer;
    if (!synthesizer) throw new UserFacingError('voice.notConfigured');
    const clean = text.normalize('NFC').trim();
    if (isBlank(clean) || hasControlCharacters(clean)) throw new UserFacingError('voice.nothingToSay');
    if ([...clean].length > SPEAK_MAX_CHARS) throw new UserFacingError('voice.textTooLong', { max: SPEAK_MAX_CHARS });
    const userId = scope.learner.id;
    const key = clipKey({ model: synthesizer.model, voice: synthesizer.voice, language, text: clean });
    const base = { userId, contentType: 'pronunciation' as const, queryText: clean, targetLanguage: language, baseLanguage: scope.learner.baseLanguage };
    const requestMetadata = { platform: scope.platform, model: synthesizer.model, voice: synthesizer.voice };

    const cached = await this.options.cache.get(userId, key).catch(() => undefined);
    if (cached && isOggOpus(cached)) {
      const seconds = oggOpusDurationSeconds(cached);
      this.options.activityLog.log({ ...base, direction: 'output', requestMetadata, responseMetadata: { ok: true, cached: true, seconds, bytes: cached.length, latencyMs: 0 } });
      return toOutgoing(cached, seconds, filename);
    }

    const day = utcDay(this.now());
    await this.checkAllowance(userId, day, 0);
    this.options.activityLog.log({ ...base, direction: 'input', requestMetadata });
    const started = performance.now();
    try {
      const audio = await this.call(userId, (signal) => synthesizer.synthesize({ text: clean, language, signal }));
      if (audio.length === 0 || !isOggOpus(audio)) throw new SpeechError('bad_audio', audio.length === 0 ? 'empty audio body' : 'not Ogg Opus');
      const seconds = oggOpusDurationSeconds(audio);
      const latencyMs = Math.round(performance.now() - started);
      this.options.activityLog.log({ ...base, direction: 'output', requestMetadata, responseMetadata: { ok: true, cached: false, seconds, bytes: audio.length, latencyMs } });
      await this.options.cache.put(userId, key, audio).catch((error: unknown) => scope.log.warn({ err: error }, 'voice: could not cache a clip'));
      await learnerGoneIfRecordGone(this.options.allowance.addAudioSeconds(userId, day, Math.max(1, Math.ceil(seconds))));
      return toOutgoing(audio, seconds, filename);
    } catch (error) {
      throw this.failed(scope, error, base, requestMetadata, started);
    }
  }

  /**
   * A learner's voice message as text, in `language` (the hint). Refused before download when too long, too large
   * or over the allowance; "nothing heard" for silence; a transcript clearly in `baseLanguage` instead is refused
   * with what was heard (it is not the turn the role-play asked for).
   */
  async transcribe(scope: RequestScope, voice: IncomingVoice, language: string, baseLanguage: string): Promise<string> {
    const transcriber = this.options.transcriber;
    if (!transcriber) throw new UserFacingError('voice.notConfigured');
    const { maxSeconds, maxBytes } = this.options;
    if (!(voice.durationSeconds <= maxSeconds)) throw new UserFacingError('voice.tooLong', { max: maxSeconds });
    if (!(voice.sizeBytes <= maxBytes)) throw new UserFacingError('voice.tooLarge', { max: megabytes(maxBytes) });
    const userId = scope.learner.id;
    const day = utcDay(this.now());
    await this.checkAllowance(userId, day, Math.ceil(voice.durationSeconds));

    const audio = await voice.download();
    // The platform's description can be wrong (or forged on a self-hosted API): check what arrived.
    if (audio.length > maxBytes) throw new UserFacingError('voice.tooLarge', { max: megabytes(maxBytes) });
    if (audio.length === 0) throw new UserFacingError('voice.nothingHeard');
    const seconds = isOggOpus(audio) ? oggOpusDurationSeconds(audio) : voice.durationSeconds;
    if (seconds > maxSeconds) throw new UserFacingError('voice.tooLong', { max: maxSeconds });

    const base = { userId, contentType: 'transcription' as const, targetLanguage: language, baseLanguage };
    const requestMetadata = { platform: scope.platform, model: transcriber.model, seconds: round(seconds), bytes: audio.length };
    this.options.activityLog.log({ ...base, direction: 'input', queryText: '', requestMetadata });
    const started = performance.now();
    let text: string;
    try {
      const raw = await this.call(userId, (signal) =>
        transcriber.transcribe({ audio, filename: 'voice.ogg', mimeType: voice.mimeType ?? 'audio/ogg', language, signal }),
      );
      text = cutText(stripControlCharacters(raw).replace(/\s+/g, ' ').trim(), 1_000);
    } catch (error) {
      throw this.failed(scope, error, { ...base, queryText: '' }, requestMetadata, started);
    }
    const latencyMs = Math.round(performance.now() - started);
    const wrong = text ? clearlyWrongLanguage(text, language, baseLanguage) !== undefined : false;
    this.options.activityLog.log({
      ...base,
      direction: 'output',
      queryText: text,
      requestMetadata,
      responseMetadata: { ok: text !== '' && !wrong, model: transcriber.model, seconds: round(seconds), latencyMs, ...(wrong ? { error: 'wrong_language' } : {}) },
    });
    await learnerGoneIfRecordGone(this.options.allowance.addAudioSeconds(userId, day, Math.max(1, Math.ceil(seconds))));
    if (!text) throw new UserFacingError('voice.nothingHeard');
    if (wrong) throw new UserFacingError('voice.wrongLanguage', { heard: text });
    return text;
  }

  /** /forget: the learner's cached clips. (Transcripts live only in the activity log and role-play turns.) */
  forget(userId: number): Promise<void> {
    return this.options.cache.forget(userId);
  }

  private async checkAllowance(userId: number, day: string, seconds: number): Promise<void> {
    const used = await this.options.allowance.audioSeconds(userId, day);
    const limit = this.options.dailySeconds;
    if (used >= limit || used + seconds > limit) {
      throw new UserFacingError('voice.allowance', { minutes: Math.floor(limit / 60), seconds: limit, hours: hoursUntilUtcMidnight(this.now()) });
    }
  }

  /** One provider call under the learner's limits and the global limiter, bounded as a whole by timeoutMs. */
  private call<T>(userId: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const bounded = () => run(AbortSignal.timeout(this.options.timeoutMs));
    return learnerGoneIfRecordGone(this.options.limited ? this.options.limited(userId, bounded) : bounded());
  }

  private failed(
    scope: RequestScope,
    error: unknown,
    base: { userId: number; contentType: 'pronunciation' | 'transcription'; queryText: string; targetLanguage: string; baseLanguage: string },
    requestMetadata: Record<string, unknown>,
    started: number,
  ): unknown {
    const latencyMs = Math.round(performance.now() - started);
    const kind = error instanceof SpeechError ? error.kind : isUserFacingError(error) ? error.key : 'internal_error';
    this.options.activityLog.log({ ...base, direction: 'output', requestMetadata, responseMetadata: { ok: false, error: kind, latencyMs } });
    if (error instanceof SpeechError) {
      scope.log.warn({ kind: error.kind, status: error.status, latencyMs }, 'speech call failed');
      return new UserFacingError(MESSAGE_FOR[error.kind]);
    }
    return error;
  }
}

function toOutgoing(data: Uint8Array, seconds: number, filename: string): OutgoingVoice {
  return { data, durationSeconds: Math.max(1, Math.round(seconds)), filename, waveform: oggOpusWaveform(data) };
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;
const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The learner ran /forget while speech was on its way: their usage row cannot be written (as for generations). */
function learnerGoneIfRecordGone<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    if (isRecordGone(error)) throw new UserFacingError('errors.learnerGone');
    throw error;
  });
}
