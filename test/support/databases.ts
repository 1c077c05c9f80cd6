// Test databases: a fresh SQLite file per test, and (when TEST_POSTGRES_URL is set) a fresh PostgreSQL
// database per test, created on the server and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL?.trim() || undefined;

/** Why PostgreSQL tests skip (printed in the test name), or undefined when they run. */
export const POSTGRES_SKIP_REASON = POSTGRES_URL ? undefined : 'TEST_POSTGRES_URL is not set: PostgreSQL tests skipped';

export function sqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'tutor-test-'));
  return { url: `file:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function postgresTestDatabase(baseUrl = POSTGRES_URL): Promise<TestDatabase> {
  if (!baseUrl) throw new Error(POSTGRES_SKIP_REASON);
  const name = `tutor_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The providers to run a database test against: always SQLite, PostgreSQL when configured. */
export const PROVIDERS: Array<{ name: 'sqlite' | 'postgresql'; create: () => Promise<TestDatabase> | TestDatabase; skip?: string }> = [
  { name: 'sqlite', create: sqliteTestDatabase },
  { name: 'postgresql', create: () => postgresTestDatabase(), ...(POSTGRES_SKIP_REASON ? { skip: POSTGRES_SKIP_REASON } : {}) },
];
