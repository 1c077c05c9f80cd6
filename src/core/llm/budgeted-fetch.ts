// The fetch the SDK uses for one LLM call. It counts the HTTP requests really sent (the SDK retries on its
// own) and caps the SDK's retry-after wait: openai v6 sleeps for any retry-after, however long, and that
// sleep cannot be aborted. When the server asks for a wait beyond the call's remaining time, we mark the
// response "x-should-retry: false" so the SDK fails at once (429 → errors.llmBusy with those seconds).
import { retryAfterMs } from './errors.ts';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface CallBudget {
  /** Date.now() value after which the call is out of time. */
  deadline: number;
  /** HTTP requests sent so far (shared across the first call and the repair). */
  httpRequests: number;
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

export function budgetedFetch(budget: CallBudget, inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    budget.httpRequests += 1;
    const response = await inner(input, init);
    if (response.ok || !RETRYABLE(response.status)) return response;
    const waitMs = retryAfterMs(response.headers);
    if (waitMs === undefined || waitMs < budget.deadline - Date.now()) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
