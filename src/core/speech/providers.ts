// Which speech providers the settings ask for. VOICE_ENABLED defaults to on when a provider is configured:
// SPEECH_BASE_URL/SPEECH_API_KEY, else the OPENAI_* ones; TTS_PROVIDER=espeak speaks locally (no listening then,
// unless an API is configured too).
import type { Config } from '../../config.ts';
import { createEspeakSpeech } from './espeak-speech.ts';
import { createOpenAiSpeech } from './openai-speech.ts';
import type { SpeechSynthesizer, SpeechTranscriber } from './provider.ts';

export function createVoiceProviders(config: Config): { synthesizer?: SpeechSynthesizer; transcriber?: SpeechTranscriber } {
  const baseURL = config.SPEECH_BASE_URL ?? config.OPENAI_BASE_URL ?? (config.SPEECH_API_KEY || config.OPENAI_API_KEY ? 'https://api.openai.com/v1' : undefined);
  const apiKey = config.SPEECH_API_KEY ?? config.OPENAI_API_KEY;
  const api = baseURL
    ? createOpenAiSpeech({
        baseURL,
        ...(apiKey ? { apiKey } : {}),
        ttsModel: config.TTS_MODEL,
        ttsVoice: config.TTS_VOICE,
        sttModel: config.STT_MODEL,
        maxRetries: config.LLM_MAX_RETRIES,
        timeoutMs: config.LLM_TIMEOUT_MS,
      })
    : undefined;
  const synthesizer = config.TTS_PROVIDER === 'espeak' ? createEspeakSpeech() : api;
  const enabled = config.VOICE_ENABLED ?? (synthesizer !== undefined || api !== undefined);
  if (!enabled) return {};
  return { ...(synthesizer ? { synthesizer } : {}), ...(api ? { transcriber: api.transcriber } : {}) };
}
