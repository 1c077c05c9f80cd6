// The real core (database, activity log, LLM client, services, front door) for end-to-end tests:
// real SQLite (or PostgreSQL), the real openai SDK against the fake OpenAI server, nothing mocked.
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createCore, type Core } from '../../src/app.ts';
import type { TutorFrontDoor } from '../../src/commands/front-door.ts';
import type { Db } from '../../src/core/db/client.ts';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';
import { sampleFromSchema } from './fake-openai/sample-from-schema.ts';
import { sqliteTestDatabase, type TestDatabase } from './databases.ts';
import { tutorContent } from './tutor-responder.ts';
import { tempJournalDir } from './journal-dir.ts';

export interface TestCore {
  core: Core;
  frontDoor: TutorFrontDoor;
  prisma: Db;
  /** The fake OpenAI server (started here unless `openaiUrl` was given). */
  openai?: FakeOpenAI;
  /** Every log line written, parsed (for assertions on logging). */
  logs: Array<Record<string, unknown>>;
  logger: Logger;
  close(): Promise<void>;
}

export interface TestCoreOptions {
  openaiUrl?: string;
  /** A database URL; default: a fresh SQLite file. */
  database?: TestDatabase;
  env?: Record<string, string>;
  /** A controllable clock for scheduling (reviews, reminders, stats). */
  clock?: () => Date;
  /** Told every SQL statement the core sends (see src/core/db/query-observer.ts). */
  onQuery?: (sql: string) => void;
}

export function captureLogger(level = 'debug'): { logger: Logger; logs: Array<Record<string, unknown>>; raw: string[] } {
  const logs: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push({ msg: line });
        }
      }
      done();
    },
  });
  return { logger: createLogger(level, sink), logs, raw };
}

export async function createTestCore(options: TestCoreOptions = {}): Promise<TestCore> {
  const openai = options.openaiUrl ? undefined : await startFakeOpenAI();
  if (openai) openai.respondWith((req) => tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {}));
  const database = options.database ?? sqliteTestDatabase();
  // Each core its own journal directory unless the test names one (a restart on the same journal).
  const journal = options.env?.ACTIVITY_JOURNAL_DIR ? undefined : tempJournalDir();
  const config: Config = loadConfig({
    ...(journal ? { ACTIVITY_JOURNAL_DIR: journal.dir } : {}),
    DATABASE_URL: database.url,
    OPENAI_BASE_URL: options.openaiUrl ?? openai!.url,
    OPENAI_API_KEY: 'test-key-key-for-fake-server-0000',
    OPENAI_MODEL: 'fake-model',
    LLM_TIMEOUT_MS: '5000',
    LLM_STALL_TIMEOUT_MS: '2000',
    LLM_MAX_RETRIES: '1',
    USER_CALLS_PER_MINUTE: '1000',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const { logger, logs } = captureLogger(config.LOG_LEVEL);
  const core = await createCore(config, logger, { ...(options.clock ? { clock: options.clock } : {}), ...(options.onQuery ? { onQuery: options.onQuery } : {}) });
  return {
    core,
    frontDoor: core.frontDoor,
    prisma: core.database.prisma,
    ...(openai ? { openai } : {}),
    logs,
    logger,
    async close() {
      await core.stop();
      await openai?.close();
      if (!options.database) await database.drop();
      journal?.remove();
    },
  };
}
