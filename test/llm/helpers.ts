// Shared set-up for the LLM client tests: a client pointed at the fake server, a logger that captures
// every line, and a small flashcards schema.
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { z } from 'zod';
import { createLogger, type Logger } from '../../src/logger.ts';
import {
  createLlmClient,
  InMemoryDailyUsageStore,
  type LlmClientOptions,
  type StructuredRequest,
} from '../../src/core/llm/client.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { openaiKey } from '../support/fake-secrets.ts';

export const TEST_API_KEY = openaiKey('test-secret-0123456789abcdef');

export const cardsSchema = z.object({
  topic: z.string(),
  cards: z
    .array(z.object({ front: z.string(), back: z.string(), level: z.enum(['A1', 'A2', 'B1']) }))
    .min(2)
    .max(5),
  difficulty: z.number().int().min(1).max(5),
  note: z.string().nullable(),
});
export type Cards = z.infer<typeof cardsSchema>;

export interface CapturedLog {
  logger: Logger;
  lines: string[];
  entries(): Array<Record<string, any>>;
}

export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(level, sink);
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line)) };
}

export function makeClient(fake: FakeOpenAI, log: CapturedLog, overrides: Partial<LlmClientOptions> = {}) {
  const usageStore = (overrides.usageStore as InMemoryDailyUsageStore | undefined) ?? new InMemoryDailyUsageStore();
  const options: LlmClientOptions = {
    baseURL: fake.url,
    apiKey: TEST_API_KEY,
    model: 'test-model',
    timeoutMs: 1_500,
    stallTimeoutMs: 500,
    maxRetries: 2,
    maxConcurrent: 4,
    callsPerMinute: 1_000,
    queueTimeoutMs: 1_000,
    userCallsPerMinute: 100,
    userDailyQuota: 1_000,
    temperature: 0.3,
    logger: log.logger,
    ...overrides,
    usageStore,
  };
  const client = createLlmClient(options);
  return { client, usageStore, options };
}

export function cardsRequest(log: CapturedLog, overrides: Partial<StructuredRequest<Cards>> = {}): StructuredRequest<Cards> {
  return {
    schema: cardsSchema,
    schemaName: 'flashcards',
    messages: [
      { role: 'system', content: 'You are a Spanish tutor. Reply with JSON only.' },
      { role: 'user', content: 'Make flashcards about food.' },
    ],
    userId: 1,
    log: log.logger.child({ userId: 1 }),
    ...overrides,
  };
}

/** Awaits a promise that must reject and returns the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Pino flushes asynchronously through the Writable; give it a turn. */
export const flushLogs = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A fresh fake OpenAI server and captured log for every test, and `setup()` for a client that is stopped
 * after the test. `bed.fake` and `bed.log` change per test: read them inside tests.
 */
export function useLlmTestBed() {
  const stops: Array<() => Promise<void>> = [];
  const bed = {
    fake: undefined as unknown as FakeOpenAI,
    log: undefined as unknown as CapturedLog,
    setup(overrides: Partial<LlmClientOptions> = {}) {
      const made = makeClient(bed.fake, bed.log, overrides);
      stops.push(() => made.client.stop());
      return made;
    },
  };
  beforeEach(async () => {
    bed.fake = await startFakeOpenAI();
    bed.log = captureLog();
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
    await bed.fake.close();
  });
  return bed;
}
