// The fetch the SDK uses for LLM calls. Per call it counts the HTTP requests really sent (the SDK retries on its
// own) and caps the SDK's retry-after wait: openai v6 sleeps for any retry-after, however long, and that
// sleep cannot be aborted. When the server asks for a wait beyond the call's remaining time, we mark the
// response "x-should-retry: false" so the SDK fails at once (429 → errors.llmBusy with those seconds).
import type OpenAI from 'openai';
import { retryAfterMs } from './errors.ts';

type FetchOptions = NonNullable<NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>['fetchOptions']>;

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface CallBudget {
  /** Date.now() value after which the call is out of time. */
  deadline: number;
  /** HTTP requests sent so far (shared across the first call and the repair). */
  httpRequests: number;
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * The one fetch the SDK client is built with. A call names its budget in its request options
 * (`fetchOptions: budgetOption(budget)`), which the SDK passes on to fetch with the rest of the request: one
 * client serves every call, where a client per call (`withOptions({ fetch })`) rebuilt the SDK's resources
 * each time. A request without a budget (none is sent so today) passes through unchanged.
 */
export function budgetAwareFetch(inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const budget = (init as BudgetedInit | undefined)?.[BUDGET];
    if (!budget) return inner(input, init);
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

/** A key no RequestInit has, so that fetch implementations ignore it. */
const BUDGET = 'tutorCallBudget';
type BudgetedInit = RequestInit & { [BUDGET]?: CallBudget };

/** The SDK request option (`fetchOptions`) that carries `budget` to budgetAwareFetch. */
export function budgetOption(budget: CallBudget): FetchOptions {
  return { [BUDGET]: budget } as FetchOptions;
}
