// The messages between worker-completions.ts (the bot's thread) and completion-worker.ts.
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CompletionLimits, CompletionReply } from './stream-completion.ts';

export interface CallMessage {
  id: number;
  params: ChatCompletionCreateParamsStreaming;
  limits: CompletionLimits;
  /** HTTP requests the generation has sent so far (the budget spans the first call and the repair). */
  httpRequests: number;
  /** Whether the caller wants the content as it streams. */
  progress: boolean;
}

/** toLlmError()'s two outcomes, as data. */
export type WireError = { kind: 'user'; key: string; params: Record<string, string | number> } | { kind: 'request'; message: string; status?: number };

export type WorkerMessage =
  | { type: 'content'; id: number; added: string }
  | { type: 'done'; id: number; reply: CompletionReply; httpRequests: number }
  | { type: 'failed'; id: number; error: WireError; httpRequests: number }
  | { type: 'warn'; message: string }
  /** Sent once, when the worker can take calls. */
  | { type: 'ready' };
