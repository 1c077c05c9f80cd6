// The LLM client: structured (JSON-schema) generations over any OpenAI-compatible endpoint.
// Order of a generate(): per-user limit → daily quota → global limiter queue → streamed call →
// validate (JSON, schema, check) → at most one repair call → token accounting and one log line.
// Time bound: each of the (at most two) calls waits at most queueTimeoutMs in the queue and runs at most
// timeoutMs (SDK retries included), so generate() ends within 2 × (queueTimeoutMs + timeoutMs), plus
// whatever the usage store's reserveCall takes, plus one resend per structured-output switch (a server's 400
// refusing response_format; at most two per process, see structured-mode.ts).
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { UserFacingError } from '../errors.ts';
import { scrubSecrets, type Logger } from '../../logger.ts';
import { budgetAwareFetch, type CallBudget } from './budgeted-fetch.ts';
import { LlmRequestError, toLlmError } from './errors.ts';
import { GlobalLimiter } from './global-limiter.ts';
import { createHttpFetch } from './http-fetch.ts';
import { parsePartialObject } from './partial-json.ts';
import { requestShape, responseFormatFor } from './response-format.ts';
import { createStructuredModes, sendFallingBack, type StructuredOutputMode } from './structured-mode.ts';
import { streamCompletion, type CompletionReply } from './stream-completion.ts';
import { judgeReply, repairInstruction, settleAfterRepair } from './structured-reply.ts';
import { addUsage, ZERO_USAGE } from './types.ts';
import type { LlmClient, LlmClientOptions, LlmMessage, LlmUsage, StructuredRequest, StructuredResult } from './types.ts';
import { createUserRateLimiter, reserveDailyCall } from './user-limits.ts';

export type {
  DailyUsageStore,
  LlmClient,
  LlmClientOptions,
  LlmMessage,
  LlmUsage,
  ReplyProblem,
  StructuredRequest,
  StructuredResult,
} from './types.ts';
export { InMemoryDailyUsageStore } from './in-memory-usage-store.ts';
export { LlmRequestError } from './errors.ts';

export function createLlmClient(
  options: LlmClientOptions,
): LlmClient & { stop(): Promise<void>; stats(): { queued: number; running: number } } {
  const now = options.now ?? Date.now;
  const userLimiter = createUserRateLimiter(options, now);
  const limiter = new GlobalLimiter(options);
  // The SDK's requests go over node:http with keep-alive (http-fetch.ts), cheaper than the built-in fetch.
  const httpFetch = createHttpFetch();
  const openai = new OpenAI({
    fetch: budgetAwareFetch(httpFetch),
    baseURL: options.baseURL || 'http://127.0.0.1/v1', // unused when not configured: generate() refuses first
    apiKey: options.apiKey || 'not-needed', // local servers need no key; the SDK insists on one
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
    logger: sdkLogger(options.logger),
    logLevel: 'warn',
  });
  const limits = { timeoutMs: options.timeoutMs, stallTimeoutMs: options.stallTimeoutMs, maxRetries: options.maxRetries };
  const modes = createStructuredModes(options.structuredOutput ?? 'auto', { baseURL: options.baseURL, model: options.model }, options.logger);

  async function generate<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    if (!options.baseURL) throw new UserFacingError('errors.llmNotConfigured');
    if (limiter.isStopped) throw new UserFacingError('errors.llmUnavailable');
    const budget: CallBudget = { deadline: 0, httpRequests: 0, maxRetries: 0, retriesMade: 0 };
    const progress = { usage: ZERO_USAGE as LlmUsage, model: options.model, latencyMs: 0, repaired: false, mode: modes.current() };
    let day: string | undefined;

    // One HTTP call through the global limiter; usage and latency accumulate across the first call and the repair.
    const call = (shape: ReturnType<typeof requestShape>, urgent: boolean, onContent?: (content: string) => void) =>
      limiter.run(async () => {
        const started = performance.now();
        try {
          const reply = await streamCompletion(openai, completionParams(options, request, shape), limits, budget, onContent);
          progress.usage = addUsage(progress.usage, reply.usage);
          progress.model = reply.model;
          return reply;
        } catch (error) {
          throw toLlmError(error);
        } finally {
          progress.latencyMs += performance.now() - started;
        }
      }, urgent);

    try {
      const format = responseFormatFor(request.schema, request.schemaName);
      // A request in one structured-output mode; a server that refuses the mode gets it once more in the next.
      // Only the first reply streams into the request's progress listener (onContent), never the repair.
      const send = (mode: StructuredOutputMode, messages: LlmMessage[], urgent: boolean, onContent?: (content: string) => void) =>
        sendFallingBack(modes, mode, (m) => call(requestShape(m, format, messages), urgent, onContent));
      await userLimiter.take(request.userId);
      day = await reserveDailyCall(options.usageStore, request.userId, options.userDailyQuota, now());

      const { reply: first, mode } = await send(modes.current(), request.messages, false, partialReader(request));
      progress.mode = mode;
      const schemaUnseen = modes.afterReply(mode, first.content, format);
      let verdict = judgeReply(first, request.schema, request.check);
      if (verdict.kind === 'invalid' || verdict.kind === 'check') {
        const earlier = verdict;
        const firstKind = verdict.kind;
        request.log.debug({ schema: request.schemaName, problem: verdict.problem }, 'llm reply unusable; asking once more');
        const repair = repairConversation(request.messages, first, verdict.problem);
        const { reply: second, mode: repairMode } = await send(modes.repairMode(mode, schemaUnseen), repair, true);
        progress.mode = repairMode;
        modes.afterReply(repairMode, second.content, format);
        progress.repaired = true;
        verdict = settleAfterRepair(earlier, judgeReply(second, request.schema, request.check));
        if (verdict.kind === 'invalid' || verdict.kind === 'check') {
          request.log.debug({ schema: request.schemaName, problem: verdict.problem }, 'llm repair reply unusable');
          const bothChecks = firstKind === 'check' && verdict.kind === 'check';
          throw new UserFacingError(bothChecks ? 'errors.wrongLanguage' : 'errors.llmInvalid');
        }
      }
      if (verdict.kind === 'refused') throw new UserFacingError('errors.llmRefused');

      const result: StructuredResult<T> = {
        value: verdict.value,
        usage: progress.usage,
        model: progress.model,
        latencyMs: Math.round(progress.latencyMs),
        attempts: budget.httpRequests,
        repaired: progress.repaired,
      };
      request.log.info(logFields(request, progress, budget), 'llm generation');
      observe(options, 'ok', progress, budget);
      return result;
    } catch (error) {
      logFailure(request.log, error, logFields(request, progress, budget));
      observe(options, error instanceof UserFacingError ? error.key : 'internal_error', progress, budget);
      throw error;
    } finally {
      // Tokens spent count even when the reply was unusable. The store never fails the request.
      const tokens = progress.usage.totalTokens;
      if (day !== undefined && tokens > 0) {
        const recordDay = day;
        Promise.resolve()
          .then(() => options.usageStore.addTokens(request.userId, recordDay, tokens))
          .catch((error: unknown) => {
            request.log.error({ error: scrubSecrets(String(error)) }, 'could not record LLM token usage');
          });
      }
    }
  }

  async function limited<T>(userId: number, run: () => Promise<T>): Promise<T> {
    if (limiter.isStopped) throw new UserFacingError('errors.llmUnavailable');
    await userLimiter.take(userId);
    await reserveDailyCall(options.usageStore, userId, options.userDailyQuota, now());
    return limiter.run(run, false);
  }

  return {
    generate,
    limited,
    stats: () => limiter.stats(),
    stop: async () => {
      await limiter.stop();
      httpFetch.close();
    },
  };
}

/** Turns streamed content into partial objects for the request's listener; a listener's failure is logged, never fatal. */
function partialReader<T>(request: StructuredRequest<T>): ((content: string) => void) | undefined {
  const listener = request.onPartial;
  if (!listener) return undefined;
  let failed = false;
  return (content) => {
    if (failed) return;
    const partial = parsePartialObject(content, { growingStrings: listener.growingStrings });
    if (!partial) return;
    try {
      listener.receive(partial);
    } catch (error) {
      failed = true;
      request.log.warn({ err: error }, 'progress listener failed; no more progress for this reply');
    }
  };
}

function completionParams<T>(
  options: LlmClientOptions,
  request: StructuredRequest<T>,
  shape: ReturnType<typeof requestShape>,
): ChatCompletionCreateParamsStreaming {
  return {
    model: options.model,
    messages: shape.messages,
    ...(shape.response_format && { response_format: shape.response_format }),
    temperature: request.temperature ?? options.temperature,
    // max_tokens rather than max_completion_tokens: the one local OpenAI-compatible servers understand.
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

/** The original conversation (system prefix untouched, so it stays cacheable), the bad reply, and what to fix. */
function repairConversation(messages: LlmMessage[], bad: CompletionReply, problem: string): LlmMessage[] {
  return [...messages, { role: 'assistant', content: bad.content }, { role: 'user', content: repairInstruction(problem) }];
}

function logFields<T>(
  request: StructuredRequest<T>,
  progress: { usage: LlmUsage; model: string; latencyMs: number; repaired: boolean; mode: StructuredOutputMode },
  budget: CallBudget,
) {
  return {
    schema: request.schemaName,
    model: progress.model,
    structuredOutput: progress.mode,
    promptTokens: progress.usage.promptTokens,
    completionTokens: progress.usage.completionTokens,
    totalTokens: progress.usage.totalTokens,
    cachedPromptTokens: progress.usage.cachedPromptTokens,
    latencyMs: Math.round(progress.latencyMs),
    attempts: budget.httpRequests,
    repaired: progress.repaired,
  };
}

function logFailure(log: Logger, error: unknown, fields: Record<string, unknown>): void {
  if (error instanceof UserFacingError) {
    // A learner over their own limits is routine; everything else deserves a warning.
    const routine = error.key === 'errors.userRateLimited' || error.key === 'errors.dailyQuota';
    log[routine ? 'info' : 'warn']({ ...fields, key: error.key }, 'llm generation failed');
    return;
  }
  // LlmRequestError (bad request, key, model) or a bug, e.g. in check(): not the learner's to read.
  const status = error instanceof LlmRequestError ? error.status : undefined;
  log.error({ ...fields, error: scrubSecrets(String(error)), status }, 'llm generation failed');
}

/** Reports the generation to the options' observer (metrics); an observer's failure never fails the call. */
function observe(options: LlmClientOptions, outcome: string, progress: { usage: LlmUsage; latencyMs: number }, budget: CallBudget): void {
  try {
    options.onGeneration?.({ outcome, usage: progress.usage, latencyMs: progress.latencyMs, httpRequests: budget.httpRequests });
  } catch {
    // metrics are best effort
  }
}

/** The SDK's own warnings go to our logger as plain scrubbed text (its detail objects may hold headers). */
function sdkLogger(logger: Logger) {
  const forward = (message: string) => logger.warn({ source: 'openai-sdk' }, scrubSecrets(String(message)));
  return { error: forward, warn: forward, info: () => {}, debug: () => {} };
}
