// The fetch the SDK uses for LLM calls. Per call it counts the HTTP requests really sent (the SDK retries on its
// own) and caps the SDK's retry-after wait: openai v6 sleeps for any retry-after, however long, and that
// sleep cannot be aborted. When the server asks for a wait beyond the call's remaining time, we mark the
// response "x-should-retry: false" so the SDK fails at once (429 → errors.llmBusy with those seconds).
// When it names no wait, the SDK's own backoff (0.5 s, 1 s, 2 s… less up to 25 % jitter) could sleep past the
// deadline, and a server failing every attempt would read "took too long"; we name a wait ("retry-after-ms")
// that is that backoff, shortened to leave every remaining retry its share of the remaining time.
import type OpenAI from 'openai';
import { retryAfterMs } from './errors.ts';

type FetchOptions = NonNullable<NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>['fetchOptions']>;

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface CallBudget {
  /** Date.now() value after which the call is out of time. */
  deadline: number;
  /** HTTP requests sent so far (shared across the first call and the repair). */
  httpRequests: number;
  /** The SDK's retries allowed in the current call (set with the deadline, one call at a time). */
  maxRetries: number;
  /** Retries made in the current call so far. */
  retriesMade: number;
}

/** The SDK's default backoff before retry number `retriesMade + 1` (openai v6, calculateDefaultRetryTimeoutMillis). */
export function sdkBackoffMs(retriesMade: number, random = Math.random): number {
  return Math.min(500 * 2 ** retriesMade, 8_000) * (1 - random() * 0.25);
}

/**
 * The wait before the next retry when the server named none: the SDK's backoff, but at most half of this
 * retry's even share of the remaining time (the other half is for the request itself).
 */
export function fittedBackoffMs(remainingMs: number, retriesLeft: number, retriesMade: number, random = Math.random): number {
  const share = Math.max(0, remainingMs) / retriesLeft;
  return Math.round(Math.min(sdkBackoffMs(retriesMade, random), share / 2));
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * The one fetch the SDK client is built with. A call names its budget in its request options
 * (`fetchOptions: budgetOption(budget)`), which the SDK passes on to fetch with the rest of the request: one
 * client serves every call, where a client per call (`withOptions({ fetch })`) rebuilt the SDK's resources
 * each time. A request without a budget (none is sent so today) passes through unchanged.
 */
export function budgetAwareFetch(inner: Fetch = globalThis.fetch, random = Math.random): Fetch {
  return async (input, init) => {
    const budget = (init as BudgetedInit | undefined)?.[BUDGET];
    if (!budget) return inner(input, init);
    budget.httpRequests += 1;
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      // A connection error, which the SDK retries too (with its own backoff): it counts as a retry made. (Our
      // deadline's abort lands here as well; nothing is retried after it.)
      countRetry(budget);
      throw error;
    }
    if (response.ok || !RETRYABLE(response.status) || response.headers.get('x-should-retry') === 'false') return response;
    const retriesLeft = budget.maxRetries - budget.retriesMade;
    if (retriesLeft <= 0) return response; // the SDK gives up now: nothing to wait for
    const remainingMs = budget.deadline - Date.now();
    const waitMs = retryAfterMs(response.headers);
    if (waitMs !== undefined && waitMs >= remainingMs) return withHeader(response, 'x-should-retry', 'false');
    const fitted = waitMs === undefined ? fittedBackoffMs(remainingMs, retriesLeft, budget.retriesMade, random) : undefined;
    countRetry(budget);
    return fitted === undefined ? response : withHeader(response, 'retry-after-ms', String(fitted));
  };
}

function countRetry(budget: CallBudget): void {
  if (budget.retriesMade < budget.maxRetries) budget.retriesMade += 1;
}

function withHeader(response: Response, name: string, value: string): Response {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A key no RequestInit has, so that fetch implementations ignore it. */
const BUDGET = 'tutorCallBudget';
type BudgetedInit = RequestInit & { [BUDGET]?: CallBudget };

/** The SDK request option (`fetchOptions`) that carries `budget` to budgetAwareFetch. */
export function budgetOption(budget: CallBudget): FetchOptions {
  return { [BUDGET]: budget } as FetchOptions;
}
