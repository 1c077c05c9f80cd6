// The real core as the benchmarks run it, built as production runs it (dist/, bench/support/built.ts), on a
// SQLite file, talking to a fake LLM, with a silent logger. Kept apart from core.ts (which also starts the
// fake LLM and makes the database) so that the bot's own process under an adapter load
// (bot-process-child.ts) loads nothing production does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../src/app.ts';
import { silentLogger } from './silent-logger.ts';
import { builtApp, builtConfig } from './built.ts';

/** Limits high enough that only what a scenario sets explicitly can throttle it. */
export const UNTHROTTLED_ENV: Record<string, string> = {
  LLM_MAX_CONCURRENT: '200',
  LLM_CALLS_PER_MINUTE: '100000',
  LLM_QUEUE_TIMEOUT_MS: '60000',
  USER_CALLS_PER_MINUTE: '10000',
  USER_DAILY_QUOTA: '1000000',
};

/** The core on the database at `databaseUrl`, talking to the fake LLM at `llmUrl`; `stop()` removes its journal. */
export async function coreOnDatabase(llmUrl: string, databaseUrl: string, env: Record<string, string> = {}): Promise<{ core: Core; stop(): Promise<void> }> {
  const [{ applyHeapPolicy, createCore }, { loadConfig }] = await Promise.all([builtApp(), builtConfig()]);
  const journalDir = mkdtempSync(join(tmpdir(), 'tutor-bench-journal-'));
  const config = loadConfig({
    ACTIVITY_JOURNAL_DIR: journalDir,
    DATABASE_URL: databaseUrl,
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
    async stop() {
      await core.stop();
      rmSync(journalDir, { recursive: true, force: true });
    },
  };
}
