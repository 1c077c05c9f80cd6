// The LLM client against the fake server through the real openai SDK: replies, repair, refusal, usage, logs.
import { beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/core/errors.ts';
import { LlmRequestError } from '../../src/core/llm/client.ts';
import type { FakeOpenAI } from '../support/fake-openai.ts';
import { cardsRequest, cardsSchema, flushLogs, rejectionOf, TEST_API_KEY, type CapturedLog, useLlmTestBed } from './helpers.ts';

const bed = useLlmTestBed();
let fake: FakeOpenAI;
let log: CapturedLog;
beforeEach(() => ({ fake, log } = bed));
const setup = bed.setup;

describe('structured generation', () => {
  it('returns a schema-valid value from a streamed reply', async () => {
    const { client } = setup();
    const result = await client.generate(cardsRequest(log));

    expect(cardsSchema.parse(result.value)).toEqual(result.value);
    expect(result.value.cards.length).toBeGreaterThanOrEqual(2);
    expect(result).toMatchObject({ model: 'test-model', attempts: 1, repaired: false });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body;
    expect(body).toMatchObject({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      response_format: { type: 'json_schema', json_schema: { name: 'flashcards', strict: true } },
    });
    expect(fake.requests[0]!.messages[0]).toEqual({ role: 'system', content: 'You are a Spanish tutor. Reply with JSON only.' });
  });

  it('passes temperature and maxTokens from the request', async () => {
    const { client } = setup();
    await client.generate(cardsRequest(log, { temperature: 0.9, maxTokens: 321 }));
    expect(fake.requests[0]!.body).toMatchObject({ temperature: 0.9, max_tokens: 321 });
  });

  it('repairs invalid JSON once, resending the conversation, the bad reply and the problem', async () => {
    const { client } = setup();
    fake.failNext({ invalidJson: true });
    const result = await client.generate(cardsRequest(log));

    expect(result).toMatchObject({ repaired: true, attempts: 2 });
    expect(cardsSchema.safeParse(result.value).success).toBe(true);
    const [first, repair] = fake.requests;
    expect(repair!.messages.slice(0, 2)).toEqual(first!.messages); // system prefix first and unchanged
    expect(repair!.messages[2]).toMatchObject({ role: 'assistant', content: '{"this is": not JSON at all' });
    expect(repair!.messages[3]!.role).toBe('user');
    expect(repair!.messages[3]!.content).toMatch(/not valid JSON/);
  });

  it('names the schema problems in the repair request', async () => {
    const { client } = setup();
    fake.failNext({ breakSchema: true }); // leaves out the first required property, "topic"
    const result = await client.generate(cardsRequest(log));

    expect(result.repaired).toBe(true);
    expect(fake.requests[1]!.messages.at(-1)!.content).toMatch(/topic/);
  });

  it('gives up with llmInvalid when the repair is invalid too', async () => {
    const { client } = setup();
    fake.failNext({ invalidJson: true }, { breakSchema: true });
    const error = await rejectionOf(client.generate(cardsRequest(log)));

    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmInvalid');
    expect(fake.requests).toHaveLength(2);
  });

  it('repairs a reply that fails the request check', async () => {
    const { client } = setup();
    let calls = 0;
    fake.respondWith(() => {
      calls += 1;
      return { topic: calls === 1 ? 'food' : 'comida', cards: [{ front: 'pan', back: 'bread', level: 'A1' }, { front: 'agua', back: 'water', level: 'A1' }], difficulty: 1, note: null };
    });
    const check = (value: { topic: string }) => (value.topic === 'food' ? 'The topic must be written in Spanish.' : undefined);
    const result = await client.generate(cardsRequest(log, { check }));

    expect(result).toMatchObject({ repaired: true, attempts: 2 });
    expect(result.value.topic).toBe('comida');
    expect(fake.requests[1]!.messages.at(-1)!.content).toContain('The topic must be written in Spanish.');
  });

  it('reports wrongLanguage when the check fails on both replies', async () => {
    const { client } = setup();
    const error = await rejectionOf(client.generate(cardsRequest(log, { check: () => 'Not in Spanish.' })));
    expect(error.key).toBe('errors.wrongLanguage');
    expect(fake.requests).toHaveLength(2);
  });

  it('maps a refusal to llmRefused without a repair attempt', async () => {
    const { client } = setup();
    fake.failNext({ refusal: 'I cannot help with that.' });
    const error = await rejectionOf(client.generate(cardsRequest(log)));

    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.key).toBe('errors.llmRefused');
    expect(fake.requests).toHaveLength(1);
  });

  it('surfaces a rejected request (400) as an internal error, not retried', async () => {
    const { client } = setup();
    // (A 400 naming response_format switches the structured-output mode instead: test/llm/structured-output.test.ts.)
    fake.failNext({ status: 400, body: { error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error' } } });
    const error = await rejectionOf(client.generate(cardsRequest(log)));

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.status).toBe(400);
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses with llmNotConfigured when no base URL is set', async () => {
    const { client } = setup({ baseURL: '' });
    const error = await rejectionOf(client.generate(cardsRequest(log)));
    expect(error.key).toBe('errors.llmNotConfigured');
  });
});

describe('token usage', () => {
  it('returns the usage the server counted, summed over the repair', async () => {
    const { client, usageStore } = setup();
    fake.failNext({ invalidJson: true });
    const result = await client.generate(cardsRequest(log));

    const totals = fake.usageTotals();
    expect(result.usage.promptTokens).toBe(totals.promptTokens);
    expect(result.usage.completionTokens).toBe(totals.completionTokens);
    expect(result.usage.totalTokens).toBe(totals.promptTokens + totals.completionTokens);
    // The repair request starts with the same system message, which the fake reports as cached.
    expect(result.usage.cachedPromptTokens).toBeGreaterThan(0);

    const day = new Date().toISOString().slice(0, 10);
    await expect.poll(() => usageStore.usage(1, day)).toEqual({ calls: 1, tokens: result.usage.totalTokens });
  });

  it('logs one info line with model, tokens, latency and attempts', async () => {
    const { client } = setup();
    const result = await client.generate(cardsRequest(log));
    await flushLogs();

    const infos = log.entries().filter((e) => e.msg === 'llm generation');
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      level: 30,
      model: 'test-model',
      schema: 'flashcards',
      totalTokens: result.usage.totalTokens,
      attempts: 1,
      repaired: false,
    });
    expect(typeof infos[0]!.latencyMs).toBe('number');
  });
});

describe('secrets', () => {
  it('sends the API key to the server but never writes it to the log', async () => {
    const { client } = setup({ maxRetries: 1 });
    await client.generate(cardsRequest(log));
    fake.failNext({ invalidJson: true }, { status: 503, retryAfterSeconds: 0 }, { status: 503, retryAfterSeconds: 0 });
    await rejectionOf(client.generate(cardsRequest(log)));
    // A provider that echoes the key in its error text (OpenAI does, partly).
    fake.failNext({ status: 401, body: { error: { message: `Incorrect API key provided: ${TEST_API_KEY}`, type: 'invalid_request_error' } } });
    const unauthorised = await rejectionOf(client.generate(cardsRequest(log)));
    await flushLogs();
    if (process.env.SHOW_LOGS) console.log(log.lines.join(''));

    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(unauthorised).toBeInstanceOf(LlmRequestError);
    expect(unauthorised.message).not.toContain(TEST_API_KEY);
    expect(log.lines.length).toBeGreaterThan(2);
    const everything = log.lines.join('\n');
    expect(everything).not.toContain(TEST_API_KEY);
    expect(everything).not.toContain(TEST_API_KEY.slice(3)); // not even without the sk- prefix
    // Prompt text stays out of info-level lines.
    const infoAndAbove = log.entries().filter((e) => e.level >= 30).map((e) => JSON.stringify(e)).join('\n');
    expect(infoAndAbove).not.toContain('Make flashcards about food');
  });
});
