// The streamed chat completions in a worker thread. Per /flashcards the SDK's part (HTTP, the SSE stream, its
// chunk objects and their garbage) was about a third of the bot thread's CPU under load: at 200 commands/s
// that thread ran ~90 % busy and commands queued behind each other. Here that work runs on another core; the
// bot's thread sends the request and receives the reply (and, for progress views, the content as it grows).
// Limits, structured-output fallbacks, validation and accounting stay in the bot's thread (client.ts).
//
// The worker starts once the bot is ready (warmUp, src/main.ts), or with the first call, and again after it
// failed; calls running when it fails end with errors.llmUnavailable, as a lost connection would.
import type { Worker } from 'node:worker_threads';
import { UserFacingError } from '../errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { Logger } from '../../logger.ts';
import { startWorker } from '../workers/start-worker.ts';
import type { CallBudget } from './budgeted-fetch.ts';
import type { Completions, OpenAiConnection } from './completions.ts';
import type { CallMessage, WireError, WorkerMessage } from './completion-protocol.ts';
import { LlmRequestError } from './errors.ts';
import type { CompletionReply } from './stream-completion.ts';

/**
 * What the worker keeps is a few requests' bytes at a time; its garbage (chunk objects) dies young. A young
 * generation of 2 MB (V8's default grows to 32) keeps its collections short and its memory small: with the
 * default, 1 000 learners at once raised the process's peak RSS from ~205 to ~270 MB.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2 };

interface Pending {
  resolve(reply: CompletionReply): void;
  reject(error: Error): void;
  budget: CallBudget;
  onContent?: ((contentSoFar: string) => void) | undefined;
  content: string;
}

function fromWire(error: WireError): Error {
  return error.kind === 'user' ? new UserFacingError(error.key as MessageKey, error.params) : new LlmRequestError(error.message, error.status);
}

export function workerCompletions(connection: OpenAiConnection, logger: Logger): Completions {
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined; // settles when the current worker can take calls (or has ended)
  let nextId = 1;
  let closed = false;

  const failAll = () => {
    for (const call of pending.values()) call.reject(new UserFacingError('errors.llmUnavailable'));
    pending.clear();
  };
  const settled = (id: number) => {
    pending.delete(id);
    if (pending.size === 0) worker?.unref(); // an idle worker does not keep the process alive
  };

  const onMessage = (message: WorkerMessage) => {
    if (message.type === 'ready') return;
    if (message.type === 'warn') return void logger.warn({ source: 'openai-sdk' }, message.message);
    const call = pending.get(message.id);
    if (!call) return;
    if (message.type === 'content') {
      call.content += message.added;
      try {
        call.onContent?.(call.content);
      } catch {
        call.onContent = undefined; // as in streamCompletion: a failing listener ends the views, not the generation
      }
      return;
    }
    call.budget.httpRequests = message.httpRequests;
    settled(message.id);
    if (message.type === 'done') call.resolve(message.reply);
    else call.reject(fromWire(message.error));
  };

  const started = (): Worker => {
    if (worker) return worker;
    const thread = startWorker('core/llm/completion-worker', { connection }, { resourceLimits: WORKER_LIMITS });
    ready = new Promise<void>((resolve) => {
      thread.on('message', (message: WorkerMessage) => message.type === 'ready' && resolve());
      thread.once('exit', () => resolve());
    });
    thread.on('message', onMessage);
    thread.on('error', (error) => logger.error({ err: error }, 'the LLM worker thread failed'));
    thread.on('exit', () => {
      if (worker === thread) worker = undefined;
      failAll();
    });
    return (worker = thread);
  };

  return {
    complete(params, limits, budget, onContent) {
      if (closed) return Promise.reject(new UserFacingError('errors.llmUnavailable'));
      const thread = started();
      const id = nextId++;
      return new Promise<CompletionReply>((resolve, reject) => {
        pending.set(id, { resolve, reject, budget, onContent, content: '' });
        if (pending.size === 1) thread.ref();
        const call: CallMessage = { id, params, limits, httpRequests: budget.httpRequests, progress: onContent !== undefined };
        thread.postMessage(call);
      });
    },
    async warmUp() {
      if (closed) return;
      const thread = started();
      if (pending.size === 0) thread.unref();
      await ready;
    },
    async close() {
      closed = true;
      const thread = worker;
      worker = undefined;
      failAll();
      await thread?.terminate();
    },
  };
}
