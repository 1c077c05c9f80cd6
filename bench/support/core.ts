// The real core for in-process scenarios, built as production runs it (dist/, bench/support/built.ts): a fresh
// SQLite file, the real openai SDK against the fake OpenAI server (test/support/fake-openai.ts, answering with
// plausible tutor content), a silent logger.
// Load scenarios run the fake server in its own process (fake-llm-process.ts); others in this one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../src/app.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIRequest } from '../../test/support/fake-openai.ts';
import { sampleFromSchema } from '../../test/support/fake-openai/sample-from-schema.ts';
import { sqliteTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { tutorContent } from '../../test/support/tutor-responder.ts';
import { silentLogger } from './silent-logger.ts';
import { builtApp, builtConfig } from './built.ts';

export interface BenchCore {
  core: Core;
  database: TestDatabase;
  /** Stops the core and removes its database (the LLM server is the caller's). */
  close(): Promise<void>;
}

/** Limits high enough that only what a scenario sets explicitly can throttle it. */
export const UNTHROTTLED_ENV: Record<string, string> = {
  LLM_MAX_CONCURRENT: '200',
  LLM_CALLS_PER_MINUTE: '100000',
  LLM_QUEUE_TIMEOUT_MS: '60000',
  USER_CALLS_PER_MINUTE: '10000',
  USER_DAILY_QUOTA: '1000000',
};

/** The fake model with the tutor's content; `onRequest` sees each request before it is answered. */
export async function startFakeTutorLlm(options: { keepRequests?: boolean; onRequest?: (request: FakeOpenAIRequest) => void } = {}): Promise<FakeOpenAI> {
  const openai = await startFakeOpenAI({ keepRequests: options.keepRequests });
  openai.respondWith((req) => {
    options.onRequest?.(req);
    return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
  });
  return openai;
}

/** The real core on a fresh SQLite file, talking to the fake LLM at `llmUrl`. */
export async function benchCore(llmUrl: string, env: Record<string, string> = {}): Promise<BenchCore> {
  const [{ applyHeapPolicy, createCore }, { loadConfig }] = await Promise.all([builtApp(), builtConfig()]);
  const database = sqliteTestDatabase();
  const journalDir = mkdtempSync(join(tmpdir(), 'tutor-bench-journal-'));
  const config = loadConfig({
    ACTIVITY_JOURNAL_DIR: journalDir,
    DATABASE_URL: database.url,
    OPENAI_BASE_URL: llmUrl,
    OPENAI_API_KEY: 'bench-key-for-the-fake-server',
    OPENAI_MODEL: 'fake-model',
    LOG_LEVEL: 'silent',
    ...UNTHROTTLED_ENV,
    ...env,
  });
  applyHeapPolicy(); // as src/main.ts does first (a `--heap-growing-percent` given to node wins)
  const core = await createCore(config, silentLogger());
  return {
    core,
    database,
    async close() {
      await core.stop();
      await database.drop();
      rmSync(journalDir, { recursive: true, force: true });
    },
  };
}
