// The real core for in-process scenarios, built as production runs it (dist/, bench/support/built.ts): a fresh
// SQLite file, the real openai SDK against the fake OpenAI server (test/support/fake-openai.ts, answering with
// plausible tutor content), a silent logger.
// Load scenarios run the fake server in its own process (fake-llm-process.ts); others in this one.
import type { Core } from '../../src/app.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIRequest } from '../../test/support/fake-openai.ts';
import { sampleFromSchema } from '../../test/support/fake-openai/sample-from-schema.ts';
import { sqliteTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { tutorContent } from '../../test/support/tutor-responder.ts';
import { coreOnDatabase } from './core-on-file.ts';

export { UNTHROTTLED_ENV } from './core-on-file.ts';

export interface BenchCore {
  core: Core;
  database: TestDatabase;
  /** Stops the core and removes its database (the LLM server is the caller's). */
  close(): Promise<void>;
}

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
  const database = sqliteTestDatabase();
  const { core, stop } = await coreOnDatabase(llmUrl, database.url, env);
  return {
    core,
    database,
    async close() {
      await stop();
      await database.drop();
    },
  };
}
