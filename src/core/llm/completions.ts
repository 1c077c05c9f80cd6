// Where the streamed chat completions run: in this thread, or in a worker thread of their own
// (worker-completions.ts). Either way the same streamCompletion() does the call, and its failures reach the
// caller already mapped by toLlmError() (UserFacingError or LlmRequestError).
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { scrubSecrets } from '../../logger.ts';
import { budgetAwareFetch, type CallBudget } from './budgeted-fetch.ts';
import { toLlmError } from './errors.ts';
import { createHttpFetch } from './http-fetch.ts';
import { streamCompletion, type CompletionLimits, type CompletionReply } from './stream-completion.ts';

/** What an OpenAI client is built from (plain data: a worker receives it as it is). */
export interface OpenAiConnection {
  baseURL: string;
  apiKey: string;
  maxRetries: number;
  timeoutMs: number;
}

export interface Completions {
  complete(
    params: ChatCompletionCreateParamsStreaming,
    limits: CompletionLimits,
    budget: CallBudget,
    onContent?: (contentSoFar: string) => void,
  ): Promise<CompletionReply>;
  /** Resolves when a call would start at once (the worker thread is up). */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/** The SDK's own warnings, as plain scrubbed text (its detail objects may hold headers). */
export type SdkWarning = (message: string) => void;

/** One SDK client over node:http (http-fetch.ts) with the call budgets of budgeted-fetch.ts. */
export function completionsHere(connection: OpenAiConnection, warn: SdkWarning): Completions {
  const httpFetch = createHttpFetch();
  const forward = (message: unknown) => warn(scrubSecrets(String(message)));
  const openai = new OpenAI({
    fetch: budgetAwareFetch(httpFetch),
    baseURL: connection.baseURL,
    apiKey: connection.apiKey,
    maxRetries: connection.maxRetries,
    timeout: connection.timeoutMs,
    logger: { error: forward, warn: forward, info: () => {}, debug: () => {} },
    logLevel: 'warn',
  });
  return {
    async complete(params, limits, budget, onContent) {
      try {
        return await streamCompletion(openai, params, limits, budget, onContent);
      } catch (error) {
        throw toLlmError(error);
      }
    },
    warmUp: async () => {},
    async close() {
      httpFetch.close();
    },
  };
}
