// The fake server itself, driven by the real openai SDK: it must look like the real API to the SDK.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeTokenCount, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { breakSchema, sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';

let fake: FakeOpenAI;
let sdk: OpenAI;

beforeEach(async () => {
  fake = await startFakeOpenAI();
  sdk = new OpenAI({ baseURL: fake.url, apiKey: 'fake-key-0123456789', maxRetries: 0, timeout: 2_000 });
});
afterEach(async () => {
  await fake.close();
});

const lessonSchema = z.object({
  title: z.string().min(20).max(40),
  level: z.enum(['A1', 'A2', 'B1', 'B2']),
  minutes: z.number().int().min(5).max(60),
  score: z.number().min(0.5).max(1),
  published: z.boolean(),
  subtitle: z.string().nullable(),
  answer: z.union([z.string(), z.number()]),
  contact: z.email(),
  exercises: z
    .array(
      z.object({
        prompt: z.string(),
        options: z.array(z.string()).min(2).max(2),
        kind: z.literal('choice'),
        hint: z.object({ text: z.string() }).nullable(),
      }),
    )
    .min(4)
    .max(6),
});

describe('default content', () => {
  it('is valid against the JSON schema the SDK builds from zod', () => {
    const format = zodResponseFormat(lessonSchema, 'lesson');
    const value = sampleFromSchema(format.json_schema.schema!);
    expect(lessonSchema.safeParse(value).error?.issues ?? []).toEqual([]);
  });

  it('can be broken on purpose', () => {
    const schema = zodResponseFormat(lessonSchema, 'lesson').json_schema.schema!;
    expect(lessonSchema.safeParse(breakSchema(schema, sampleFromSchema(schema))).success).toBe(false);
  });

  it('answers a non-streaming structured request with usage', async () => {
    const completion = await sdk.chat.completions.create({
      model: 'any-model',
      messages: [{ role: 'user', content: 'Make a lesson.' }],
      response_format: zodResponseFormat(lessonSchema, 'lesson'),
    });
    const content = completion.choices[0]!.message.content!;
    expect(lessonSchema.safeParse(JSON.parse(content)).success).toBe(true);
    expect(completion.model).toBe('any-model');
    expect(completion.usage).toMatchObject({
      prompt_tokens: fakeTokenCount('Make a lesson.'),
      completion_tokens: fakeTokenCount(content),
    });
    expect(fake.requests[0]!.schemaName).toBe('lesson');
  });

  it('streams SSE chunks with a final usage chunk, and reports cached prefix tokens', async () => {
    const system = 'A long and stable system prompt. '.repeat(10);
    const ask = async (question: string) => {
      const stream = await sdk.chat.completions.create({
        model: 'm',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: question },
        ],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks += 1;
        text += chunk.choices[0]?.delta.content ?? '';
        usage = chunk.usage ?? usage;
      }
      return { text, usage, chunks };
    };
    const first = await ask('one');
    const second = await ask('two');

    expect(first.text).toBe('This is a fake reply.'); // no response_format: plain text
    expect(first.chunks).toBeGreaterThan(2);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(fakeTokenCount(system));
    expect(fake.usageTotals().promptTokens).toBe(first.usage!.prompt_tokens + second.usage!.prompt_tokens);
  });

  it('uses respondWith for custom content (objects as JSON, strings verbatim)', async () => {
    fake.respondWith((req) => (req.messages.at(-1)!.content === 'raw' ? 'hola' : { echo: req.messages.length }));
    const ask = async (content: string) =>
      (await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] })).choices[0]!.message.content;
    expect(await ask('raw')).toBe('hola');
    expect(await ask('json')).toBe('{"echo":1}');
  });
});

describe('faults and routes', () => {
  it('lists models', async () => {
    const models = await sdk.models.list();
    expect(models.data.map((m) => m.id)).toContain('fake-model');
  });

  it('applies queued faults one per request, then answers normally', async () => {
    fake.failNext({ status: 503, retryAfterSeconds: 7 }, { refusal: 'No.' });
    const error = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.headers.get('retry-after')).toBe('7');

    const refused = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(refused.choices[0]!.message).toMatchObject({ content: null, refusal: 'No.' });

    const normal = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(normal.choices[0]!.message.content).toBe('This is a fake reply.');
    expect(fake.requests).toHaveLength(3);
  });

  it('closes promptly even with a request left hanging', async () => {
    fake.failNext({ hang: true });
    const pending = sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    await expect.poll(() => fake.requests.length).toBe(1);
    await fake.close();
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
