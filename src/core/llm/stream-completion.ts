// One streamed chat completion with a hard time budget. The SDK's `timeout` only covers the wait for the
// response headers; a stream that stalls afterwards would wait forever. So: a deadline for the whole call
// (SDK retries included) and a stall watchdog reset by every chunk. Both abort the request, and we race
// against them so nothing here can outlive the budget (the SDK's retry sleep ignores the abort signal).
//
// The SDK sends the request, retries it and turns an error status into its APIError; the event stream of the
// reply is read here (sse-chunks.ts), not by the SDK's Stream, which costs ~0.3–0.5 ms more CPU per reply.
import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { budgetOption, type CallBudget } from './budgeted-fetch.ts';
import { LlmTimeoutError } from './errors.ts';
import { completionChunks } from './sse-chunks.ts';
import type { LlmUsage } from './types.ts';

export interface CompletionLimits {
  timeoutMs: number;
  stallTimeoutMs: number;
  maxRetries: number;
}

export interface CompletionReply {
  content: string;
  refusal: string;
  finishReason: string | undefined;
  usage: LlmUsage;
  model: string;
}

/** `openai` must be built with budgetAwareFetch (client.ts), which reads `budget` from each request. */
export async function streamCompletion(
  openai: OpenAI,
  params: ChatCompletionCreateParamsStreaming,
  limits: CompletionLimits,
  budget: CallBudget,
  /** Called with the content received so far after each chunk that added to it (progress views). */
  onContent?: (contentSoFar: string) => void,
): Promise<CompletionReply> {
  const abort = new AbortController();
  let reason: 'deadline' | 'stall' | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    abort.signal.addEventListener('abort', () => reject(new LlmTimeoutError(reason ?? 'deadline')), { once: true });
  });
  timedOut.catch(() => {}); // only observed through the races below
  const stop = (why: 'deadline' | 'stall') => {
    reason ??= why;
    abort.abort();
  };

  budget.deadline = Date.now() + limits.timeoutMs;
  budget.maxRetries = limits.maxRetries;
  budget.retriesMade = 0;
  const deadlineTimer = setTimeout(() => stop('deadline'), limits.timeoutMs);
  let stallTimer: NodeJS.Timeout | undefined;
  let reportLater: NodeJS.Immediate | undefined;
  try {
    const pending = openai.chat.completions
      .create(params, {
        signal: abort.signal,
        fetchOptions: budgetOption(budget),
        // Per attempt; a little longer than our deadline so the deadline (not an SDK retry) ends the call.
        timeout: limits.timeoutMs + 1_000,
        maxRetries: limits.maxRetries,
      })
      .asResponse();
    pending.catch(() => {}); // if the race is lost, its late rejection is expected
    const response = await Promise.race([pending, timedOut]);

    // Re-armed by every chunk: refresh() restarts the one timer instead of replacing it. Aborting ends the
    // response body, and with it the loop below.
    const armStall = () => {
      if (stallTimer) return void stallTimer.refresh();
      stallTimer = setTimeout(() => stop('stall'), limits.stallTimeoutMs);
    };
    const reply = new ReplyAccumulator(params.model);
    // Chunks that arrive together (one network read carries many when the model is fast) are reported once,
    // with the newest content: the listener parses the whole reply so far each time. Nothing is reported after
    // the stream ended (the final reply supersedes any view of it).
    const report = () => {
      reportLater = undefined;
      try {
        onContent?.(reply.contentSoFar());
      } catch {
        // Outside the stream's own call stack now: a failing listener ends the views, not the generation.
        onContent = undefined;
      }
    };
    const consume = async () => {
      armStall();
      // An aborted stream ends this loop quietly (no throw): the check after the race catches it.
      for await (const chunk of completionChunks(response)) {
        armStall();
        if (reply.add(chunk) && onContent) reportLater ??= setImmediate(report);
      }
    };
    const consuming = consume();
    consuming.catch(() => {});
    await Promise.race([consuming, timedOut]);
    if (abort.signal.aborted) throw new LlmTimeoutError(reason ?? 'deadline');
    return reply.result();
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(stallTimer);
    clearImmediate(reportLater);
  }
}

class ReplyAccumulator {
  private content = '';
  private refusal = '';
  private finishReason: string | undefined;
  private usage: LlmUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cachedPromptTokens: 0 };

  constructor(private model: string) {}

  /** Adds a chunk; true when it added content. */
  add(chunk: ChatCompletionChunk): boolean {
    if (chunk.model) this.model = chunk.model;
    const choice = chunk.choices?.find((c) => c.index === 0) ?? chunk.choices?.[0];
    const added = choice?.delta?.content ?? '';
    if (choice) {
      this.content += added;
      this.refusal += choice.delta?.refusal ?? '';
      this.finishReason = choice.finish_reason ?? this.finishReason;
    }
    if (chunk.usage) {
      const u = chunk.usage;
      this.usage = {
        promptTokens: u.prompt_tokens ?? 0,
        completionTokens: u.completion_tokens ?? 0,
        totalTokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
        cachedPromptTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
      };
    }
    return added.length > 0;
  }

  contentSoFar(): string {
    return this.content;
  }

  result(): CompletionReply {
    return {
      content: this.content,
      refusal: this.refusal,
      finishReason: this.finishReason,
      usage: this.usage,
      model: this.model,
    };
  }
}
