// Speech over the OpenAI-compatible audio API through the openai SDK: POST /audio/speech (response_format
// "opus": Ogg Opus, what Telegram and Discord voice notes are) and POST /audio/transcriptions (multipart, with the
// language hint). Local servers that speak this API (Speaches/faster-whisper, Kokoro, LocalAI) work by URL.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, toFile } from 'openai';
import { SpeechError, type SpeechSynthesizer, type SpeechTranscriber, type SynthesisRequest, type TranscriptionRequest } from './provider.ts';

export interface OpenAiSpeechOptions {
  baseURL: string;
  apiKey?: string;
  ttsModel: string;
  ttsVoice: string;
  sttModel: string;
  maxRetries: number;
  timeoutMs: number;
}

export function createOpenAiSpeech(options: OpenAiSpeechOptions): SpeechSynthesizer & { transcriber: SpeechTranscriber } {
  const openai = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey || 'not-needed', // local servers need no key; the SDK insists on one
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
  });

  const transcriber: SpeechTranscriber = {
    model: options.sttModel,
    async transcribe(request: TranscriptionRequest) {
      try {
        const file = await toFile(request.audio, request.filename, { type: request.mimeType });
        const result = await openai.audio.transcriptions.create(
          { file, model: options.sttModel, language: request.language, response_format: 'json' },
          { signal: request.signal },
        );
        return typeof result === 'string' ? result : (result.text ?? '');
      } catch (error) {
        throw toSpeechError(error, request.signal);
      }
    },
  };

  return {
    model: options.ttsModel,
    voice: options.ttsVoice,
    transcriber,
    async synthesize(request: SynthesisRequest) {
      try {
        const response = await openai.audio.speech.create(
          { model: options.ttsModel, voice: options.ttsVoice, input: request.text, response_format: 'opus' },
          { signal: request.signal },
        );
        return new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw toSpeechError(error, request.signal);
      }
    },
  };
}

function toSpeechError(error: unknown, signal: AbortSignal): SpeechError {
  if (error instanceof SpeechError) return error;
  if (signal.aborted || error instanceof APIConnectionTimeoutError) return new SpeechError('timeout', 'speech provider timed out');
  if (error instanceof APIUserAbortError) return new SpeechError('timeout', 'speech provider call aborted');
  if (error instanceof APIConnectionError) return new SpeechError('unavailable', 'speech provider unreachable');
  if (error instanceof APIError) {
    const status = error.status;
    // 4xx other than rate limits: our request or key was refused; 5xx and 429: the provider is unwell.
    const kind = status !== undefined && status >= 400 && status < 500 && status !== 429 ? 'rejected' : 'unavailable';
    return new SpeechError(kind, `speech provider answered ${status ?? 'an error'}`, status);
  }
  return new SpeechError('unavailable', error instanceof Error ? error.name : 'speech provider failed');
}
