// Maps what can go wrong in an LLM call to what the learner reads (UserFacingError) or, for mistakes
// that are ours or the operator's (bad request, wrong key, unknown model), to an internal LlmRequestError.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  RateLimitError,
} from 'openai';
import { UserFacingError } from '../errors.ts';
import { scrubSecrets } from '../../logger.ts';

/** Our own deadline or stall watchdog ended the call. */
export class LlmTimeoutError extends Error {
  constructor(readonly reason: 'deadline' | 'stall') {
    super(reason === 'stall' ? 'LLM stream stalled' : 'LLM call exceeded its time budget');
    this.name = 'LlmTimeoutError';
  }
}

/** Internal (not the learner's) failure of an LLM call; the message is scrubbed of secrets. */
export class LlmRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(scrubSecrets(message));
    this.name = 'LlmRequestError';
  }
}

/** Seconds the server asked us to wait (retry-after-ms or retry-after, seconds or HTTP date), if any. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const DEFAULT_BUSY_SECONDS = 30;

export function toLlmError(error: unknown): UserFacingError | LlmRequestError {
  if (error instanceof UserFacingError || error instanceof LlmRequestError) return error;
  if (error instanceof LlmTimeoutError) return new UserFacingError('errors.llmTimeout');
  // Our abort signal only fires at the deadline, so a user abort is a timeout too.
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
    return new UserFacingError('errors.llmTimeout');
  }
  if (error instanceof RateLimitError) {
    const waitMs = retryAfterMs(error.headers);
    const seconds = waitMs === undefined ? DEFAULT_BUSY_SECONDS : Math.max(1, Math.ceil(waitMs / 1000));
    return new UserFacingError('errors.llmBusy', { seconds });
  }
  if (error instanceof APIConnectionError) return new UserFacingError('errors.llmUnavailable');
  if (error instanceof APIError) {
    // No status: an error event inside the stream. 408/409/5xx: the server's trouble, retried already.
    const status = error.status as number | undefined;
    if (status === undefined || status === 408 || status === 409 || status >= 500) {
      return new UserFacingError('errors.llmUnavailable');
    }
    return new LlmRequestError(`LLM request rejected with status ${status}: ${error.message}`, status);
  }
  // Thrown while reading the stream: socket reset ("terminated", a TypeError) or a chunk that is not JSON.
  if (error instanceof TypeError || error instanceof SyntaxError || (error instanceof Error && /terminated|socket|ECONN/i.test(error.message))) {
    return new UserFacingError('errors.llmUnavailable');
  }
  return new LlmRequestError(error instanceof Error ? error.message : String(error));
}
