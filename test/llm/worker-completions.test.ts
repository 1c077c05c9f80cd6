// The streamed calls in their worker thread (src/core/llm/worker-completions.ts), against the fake OpenAI
// server: the reply, the content as it grows, the budget and each kind of failure come back as they do when
// the call runs in this thread (completionsHere), and a closed or failed worker ends its calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { UserFacingError } from '../../src/core/errors.ts';
import { completionsHere, type Completions } from '../../src/core/llm/completions.ts';
import { LlmRequestError } from '../../src/core/llm/errors.ts';
import { workerCompletions } from '../../src/core/llm/worker-completions.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { createLogger } from '../../src/logger.ts';

const limits = { timeoutMs: 5_000, stallTimeoutMs: 1_000, maxRetries: 0 };
const params: ChatCompletionCreateParamsStreaming = {
  model: 'fake-model',
  messages: [{ role: 'user', content: 'Write a short line.' }],
  stream: true,
  stream_options: { include_usage: true },
};

let fake: FakeOpenAI;
const opened: Completions[] = [];
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  for (const completions of opened.splice(0)) await completions.close();
  await fake.close();
});

const connection = () => ({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0, timeoutMs: 5_000 });
const silent = createLogger('silent');
function both(): Array<[string, Completions]> {
  const pair: Array<[string, Completions]> = [
    ['worker', workerCompletions(connection(), silent)],
    ['this thread', completionsHere(connection(), () => {})],
  ];
  opened.push(...pair.map(([, c]) => c));
  return pair;
}

async function outcome(completions: Completions, onContent?: (content: string) => void) {
  const budget = { deadline: 0, httpRequests: 2 };
  try {
    const reply = await completions.complete(params, limits, budget, onContent);
    return { reply, httpRequests: budget.httpRequests };
  } catch (error) {
    return { error, httpRequests: budget.httpRequests };
  }
}

describe('completions in a worker thread', () => {
  it('returns the same reply, usage and request count as a call in this thread, with the content as it grew', async () => {
    fake.respondWith(() => 'Hola, ¿qué tal? Vamos a practicar juntos las palabras de la cocina.');
    fake.setStreaming({ tokensPerSecond: 200 });
    const results = [];
    for (const [name, completions] of both()) {
      const seen: string[] = [];
      const result = await outcome(completions, (content) => seen.push(content));
      results.push({ name, result, seen });
    }
    const [inWorker, here] = results;
    // The fake counts the second of two identical prompts as cached: only that differs.
    const uncached = (result: Awaited<ReturnType<typeof outcome>>) => ({ ...result, reply: { ...result.reply!, usage: { ...result.reply!.usage, cachedPromptTokens: 0 } } });
    expect(uncached(inWorker!.result)).toEqual(uncached(here!.result));
    expect(inWorker!.result.reply?.content).toBe('Hola, ¿qué tal? Vamos a practicar juntos las palabras de la cocina.');
    expect(inWorker!.result.httpRequests).toBe(3); // 2 before this call, plus this one
    // Growing content, each view a prefix of the next, the last the whole reply.
    expect(inWorker!.seen.length).toBeGreaterThan(3);
    for (let i = 1; i < inWorker!.seen.length; i++) expect(inWorker!.seen[i]!.startsWith(inWorker!.seen[i - 1]!)).toBe(true);
    expect(inWorker!.seen.at(-1)).toBe(inWorker!.result.reply?.content);
  });

  it.each([
    ['a rejected request (400)', { status: 400 }, (e: unknown) => e instanceof LlmRequestError && e.status === 400],
    ['a busy server (429, retry after 7 s)', { status: 429, retryAfterSeconds: 7 }, (e: unknown) => e instanceof UserFacingError && e.key === 'errors.llmBusy' && e.params.seconds === 7],
    ['a server error (503)', { status: 503 }, (e: unknown) => e instanceof UserFacingError && e.key === 'errors.llmUnavailable'],
    ['a stream that stalls', { stallAfterFirstChunk: true as const }, (e: unknown) => e instanceof UserFacingError && e.key === 'errors.llmTimeout'],
  ])('fails as a call in this thread does: %s', async (_name, fault, expected) => {
    for (const [name, completions] of both()) {
      fake.failNext(fault);
      const result = await outcome(completions);
      expect({ name, matches: expected(result.error) }).toEqual({ name, matches: true });
      expect(result.httpRequests).toBe(3);
    }
  });

  it('a call running when the worker is closed ends as unavailable, and later calls are refused', async () => {
    const completions = workerCompletions(connection(), silent);
    opened.push(completions);
    fake.failNext({ hang: true });
    const running = outcome(completions);
    await expect.poll(() => fake.requests.length).toBe(1);
    await completions.close();
    const { error } = await running;
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).key).toBe('errors.llmUnavailable');
    await expect(completions.complete(params, limits, { deadline: 0, httpRequests: 0 })).rejects.toMatchObject({ key: 'errors.llmUnavailable' });
  });
});
