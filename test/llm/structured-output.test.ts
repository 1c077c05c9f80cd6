// Structured-output modes through the real openai SDK against the fake server in each of its ways of treating
// response_format. Every request the learner pays for is counted at the fake.
import { describe, expect, it } from 'vitest';
import { LlmRequestError } from '../../src/core/llm/client.ts';
import { cardsRequest, cardsSchema, flushLogs, rejectionOf, useLlmTestBed } from './helpers.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';

const bed = useLlmTestBed();
const SWITCHED = 'llm structured-output mode switched for this process';

async function switches() {
  await flushLogs();
  return bed.log.entries().filter((e) => e.msg === SWITCHED);
}

/** The requests sent since `from`, as (response_format type, schema in the system prompt?). */
function sent(from = 0) {
  return bed.fake.requests.slice(from).map((r) => ({
    format: r.responseFormatType ?? 'none',
    schemaInPrompt: r.messages[0]!.content.includes('JSON Schema named "flashcards"'),
  }));
}

describe('auto: a server that refuses json_schema with 400 (json_object only, like DeepSeek)', () => {
  it('costs one extra request on the first generation, none after, and logs the switch once', async () => {
    bed.fake.setStructuredOutput('json_object-only');
    const { client } = bed.setup();

    const first = await client.generate(cardsRequest(bed.log));
    expect(cardsSchema.parse(first.value)).toEqual(first.value);
    expect(first.attempts).toBe(2);
    expect(sent()).toEqual([
      { format: 'json_schema', schemaInPrompt: false },
      { format: 'json_object', schemaInPrompt: true },
    ]);

    for (let i = 0; i < 3; i += 1) {
      const before = bed.fake.requests.length;
      const next = await client.generate(cardsRequest(bed.log));
      expect(next.attempts).toBe(1);
      expect(sent(before)).toEqual([{ format: 'json_object', schemaInPrompt: true }]);
    }

    const logged = await switches();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ from: 'json_schema', to: 'json_object', reason: 'rejected', model: 'test-model' });
    expect(logged[0]!.detail).toContain('This response_format type is unavailable now');
    expect(logged[0]!.endpoint).toBe(bed.fake.url);
    // The learner's request text is not in the switch log.
    expect(JSON.stringify(logged[0])).not.toContain('Make flashcards about food');
    const generations = bed.log.entries().filter((e) => e.msg === 'llm generation');
    expect(generations.map((e) => e.structuredOutput)).toEqual(['json_object', 'json_object', 'json_object', 'json_object']);
  });

  it('generations already in flight when the server refuses each pay one extra request; the switch is logged once', async () => {
    bed.fake.setStructuredOutput('json_object-only');
    const { client } = bed.setup();
    const results = await Promise.all([1, 2, 3].map((userId) => client.generate(cardsRequest(bed.log, { userId }))));
    expect(results.map((r) => r.attempts)).toEqual([2, 2, 2]);
    expect(bed.fake.requests).toHaveLength(6);
    expect(await switches()).toHaveLength(1);

    const before = bed.fake.requests.length;
    await client.generate(cardsRequest(bed.log));
    expect(sent(before)).toEqual([{ format: 'json_object', schemaInPrompt: true }]);
  });
});

describe('auto: a server that ignores response_format and answers with prose around a ```json fence', () => {
  it('costs one extra request on the first generation, none after, and logs the switch once', async () => {
    bed.fake.setStructuredOutput('ignores-response-format');
    const { client } = bed.setup();

    const first = await client.generate(cardsRequest(bed.log));
    expect(cardsSchema.parse(first.value)).toEqual(first.value);
    expect(first.attempts).toBe(2);
    // The first reply is prose without JSON (the model never saw the schema); the one repair carries the schema.
    expect(sent()).toEqual([
      { format: 'json_schema', schemaInPrompt: false },
      { format: 'json_object', schemaInPrompt: true },
    ]);

    for (let i = 0; i < 3; i += 1) {
      const before = bed.fake.requests.length;
      const next = await client.generate(cardsRequest(bed.log));
      expect(next.attempts).toBe(1);
      expect(next.repaired).toBe(false);
      expect(sent(before)).toEqual([{ format: 'json_object', schemaInPrompt: true }]);
    }
    const logged = await switches();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ from: 'json_schema', to: 'json_object', reason: 'ignored' });
  });

  it('one fenced reply from a server that honours json_schema is used and changes nothing; two in a row switch', async () => {
    const { client } = bed.setup();
    const fencedOn = new Set([1, 3]); // request numbers (1-based) answered in a fence
    bed.fake.respondWith((req) => {
      const json = JSON.stringify(sampleFromSchema(req.jsonSchema));
      return fencedOn.has(bed.fake.requests.length) ? `Here you go:\n\`\`\`json\n${json}\n\`\`\`` : json;
    });
    for (let i = 0; i < 4; i += 1) {
      const result = await client.generate(cardsRequest(bed.log));
      expect(result.attempts).toBe(1);
    }
    expect(sent().map((r) => r.format)).toEqual(['json_schema', 'json_schema', 'json_schema', 'json_schema']);
    expect(await switches()).toHaveLength(0);

    // Positive control: two in a row (requests 5 and 6) are taken as "ignored".
    fencedOn.add(5).add(6);
    await client.generate(cardsRequest(bed.log));
    await client.generate(cardsRequest(bed.log));
    expect(await switches()).toHaveLength(1);
    const before = bed.fake.requests.length;
    await client.generate(cardsRequest(bed.log));
    expect(sent(before)).toEqual([{ format: 'json_object', schemaInPrompt: true }]);
  });
});

describe('auto: a server that accepts json_schema but never shows it to the model, which answers bare JSON of its own shape', () => {
  it('switches to json_object after two such replies; no generation costs more than one extra request', async () => {
    const { client } = bed.setup();
    // What a model that never saw the schema makes of "flashcards about food".
    bed.fake.respondWith((req) => (req.responseFormatType === 'json_schema' ? { flashcards: [{ es: 'el pan', en: 'bread' }] } : sampleFromSchema(req.jsonSchema)));
    const attempts: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = await client.generate(cardsRequest(bed.log));
      expect(cardsSchema.parse(result.value)).toEqual(result.value);
      attempts.push(result.attempts);
    }
    // Each of the first two is repaired once with the schema in the prompt; the second such reply is the switch.
    expect(attempts).toEqual([2, 2, 1, 1]);
    expect(sent().map((r) => r.format)).toEqual(['json_schema', 'json_object', 'json_schema', 'json_object', 'json_object', 'json_object']);
    const logged = await switches();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ from: 'json_schema', to: 'json_object', reason: 'ignored' });
  });
});

describe('auto: a server that refuses every response_format', () => {
  it('steps down twice on the first generation (one extra request per switch), then asks in prompt mode', async () => {
    bed.fake.setStructuredOutput('no-response-format');
    const { client } = bed.setup();
    const first = await client.generate(cardsRequest(bed.log));
    expect(cardsSchema.parse(first.value)).toEqual(first.value);
    expect(sent()).toEqual([
      { format: 'json_schema', schemaInPrompt: false },
      { format: 'json_object', schemaInPrompt: true },
      { format: 'none', schemaInPrompt: true },
    ]);
    const before = bed.fake.requests.length;
    await client.generate(cardsRequest(bed.log));
    expect(sent(before)).toEqual([{ format: 'none', schemaInPrompt: true }]);
    const logged = await switches();
    expect(logged.map((e) => `${e.from}→${e.to}`)).toEqual(['json_schema→json_object', 'json_object→prompt']);
  });
});

describe('a fixed LLM_STRUCTURED_OUTPUT', () => {
  it('json_object is used from the first request', async () => {
    bed.fake.setStructuredOutput('ignores-response-format');
    const { client } = bed.setup({ structuredOutput: 'json_object' });
    const result = await client.generate(cardsRequest(bed.log));
    expect(result.attempts).toBe(1);
    expect(sent()).toEqual([{ format: 'json_object', schemaInPrompt: true }]);
  });

  it('prompt is used from the first request: no response_format, JSON cut out of the prose', async () => {
    bed.fake.setStructuredOutput('ignores-response-format');
    const { client } = bed.setup({ structuredOutput: 'prompt' });
    const result = await client.generate(cardsRequest(bed.log));
    expect(cardsSchema.parse(result.value)).toEqual(result.value);
    expect(result.attempts).toBe(1);
    expect(sent()).toEqual([{ format: 'none', schemaInPrompt: true }]);
    // The system prompt before the schema is untouched (the shared, cacheable prefix).
    expect(bed.fake.requests[0]!.messages[0]!.content.startsWith('You are a Spanish tutor. Reply with JSON only.\n\n')).toBe(true);
  });

  it('json_schema never switches: a refusing server is an error after one request', async () => {
    bed.fake.setStructuredOutput('json_object-only');
    const { client } = bed.setup({ structuredOutput: 'json_schema' });
    const error = await rejectionOf(client.generate(cardsRequest(bed.log)));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.status).toBe(400);
    expect(bed.fake.requests).toHaveLength(1);
    expect(await switches()).toHaveLength(0);
  });
});
