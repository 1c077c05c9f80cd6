// What the voice service needs from a speech provider: text → Ogg Opus audio, audio → text.
// Implementations: the OpenAI-compatible HTTP API (openai-speech.ts) and a local espeak-ng + opusenc (espeak-speech.ts).

export interface SynthesisRequest {
  text: string;
  /** ISO 639-1 code of the text's language. */
  language: string;
  /** Ends the call (the whole-request timeout). */
  signal: AbortSignal;
}

export interface TranscriptionRequest {
  audio: Uint8Array;
  filename: string;
  mimeType: string;
  /** ISO 639-1 hint: the language the learner is expected to speak. */
  language: string;
  signal: AbortSignal;
}

export interface SpeechSynthesizer {
  /** Model and voice names that key the clip cache (another voice or model is another clip). */
  readonly model: string;
  readonly voice: string;
  /** Ogg Opus bytes. Throws a SpeechError (or whatever the transport throws; the service maps it). */
  synthesize(request: SynthesisRequest): Promise<Uint8Array>;
}

export interface SpeechTranscriber {
  readonly model: string;
  transcribe(request: TranscriptionRequest): Promise<string>;
}

/** A provider failure the service turns into a learner-facing message. */
export class SpeechError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'timeout' | 'bad_audio' | 'rejected',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SpeechError';
  }
}
