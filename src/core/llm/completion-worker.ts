// The worker thread's side of worker-completions.ts: the streamed calls run here, with their own SDK client,
// HTTP sockets and SSE parsing, and only the results cross to the bot's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { UserFacingError } from '../errors.ts';
import { completionsHere, type OpenAiConnection } from './completions.ts';
import { LlmRequestError } from './errors.ts';
import type { CallMessage, WorkerMessage, WireError } from './completion-protocol.ts';

const port = parentPort!;
const send = (message: WorkerMessage) => port.postMessage(message);
const completions = completionsHere((workerData as { connection: OpenAiConnection }).connection, (message) => send({ type: 'warn', message }));

function wireError(error: unknown): WireError {
  if (error instanceof UserFacingError) return { kind: 'user', key: error.key, params: error.params };
  if (error instanceof LlmRequestError) return { kind: 'request', message: error.message, ...(error.status !== undefined ? { status: error.status } : {}) };
  return { kind: 'request', message: error instanceof Error ? error.message : String(error) };
}

port.on('message', async (call: CallMessage) => {
  const budget = { deadline: 0, httpRequests: call.httpRequests };
  let sent = 0; // content already sent to the bot's thread: only what was added since goes
  const onContent = call.progress
    ? (content: string) => {
        send({ type: 'content', id: call.id, added: content.slice(sent) });
        sent = content.length;
      }
    : undefined;
  try {
    const reply = await completions.complete(call.params, call.limits, budget, onContent);
    send({ type: 'done', id: call.id, reply, httpRequests: budget.httpRequests });
  } catch (error) {
    send({ type: 'failed', id: call.id, error: wireError(error), httpRequests: budget.httpRequests });
  }
});
send({ type: 'ready' });
