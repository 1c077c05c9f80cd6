// Applies the committed migrations (prisma/migrations/<provider>/…) through the WebAssembly schema engine.
// Used at start-up and by `npm run migrate`; both work offline.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { NO_FILTERS, openSchemaEngine } from './schema-engine.ts';
import type { DatabaseProvider } from './url.ts';
import { projectRoot } from '../paths.ts';

export function migrationsDir(provider: DatabaseProvider): string {
  return join(projectRoot, 'prisma', 'migrations', provider);
}

export function schemaPath(provider: DatabaseProvider): string {
  return provider === 'sqlite'
    ? join(projectRoot, 'prisma', 'schema.prisma')
    : join(projectRoot, 'prisma', 'generated', 'postgresql.prisma');
}

export async function loadMigrationsList(provider: DatabaseProvider): Promise<MigrationList> {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? (await readdir(baseDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Names of migrations recorded as applied, or undefined when the bookkeeping table does not exist yet. */
async function appliedMigrationNames(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Set<string> | undefined> {
  const adapter = await factory.connect();
  try {
    const result = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      args: [],
      argTypes: [],
    });
    return new Set(result.rows.map((row) => String(row[0])));
  } catch {
    return undefined;
  } finally {
    await adapter.dispose();
  }
}

/** The committed migrations when some are not recorded as applied, else undefined (one query, no schema engine). */
async function pendingMigrationsList(provider: DatabaseProvider, factory: SqlMigrationAwareDriverAdapterFactory): Promise<MigrationList | undefined> {
  const migrationsList = await loadMigrationsList(provider);
  const applied = await appliedMigrationNames(factory);
  return !applied || !migrationsList.migrationDirectories.every((m) => applied.has(m.path)) ? migrationsList : undefined;
}

/** Whether some committed migration is not recorded as applied (cheap: one query, no schema engine). */
export async function migrationsPending(provider: DatabaseProvider, factory: SqlMigrationAwareDriverAdapterFactory): Promise<boolean> {
  return (await pendingMigrationsList(provider, factory)) !== undefined;
}

/**
 * Applies pending migrations and returns their names. When everything is applied already, the schema engine
 * (a large WebAssembly module) is not loaded at all: start-up stays fast.
 */
export async function applyMigrations(
  provider: DatabaseProvider,
  factory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const migrationsList = await pendingMigrationsList(provider, factory);
  if (!migrationsList) return [];
  const path = schemaPath(provider);
  const { engine, close } = await openSchemaEngine(path, await readFile(path, 'utf8'), factory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  } catch (error) {
    throw withoutBacktrace(error);
  } finally {
    await close();
  }
}

/**
 * The schema engine's errors end in a Rust span trace ("   0: sql_schema_connector::…\n   at schema-engine/…"):
 * noise in a start-up message. The message keeps its first part; the original stays as the cause (in the log).
 */
function withoutBacktrace(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const cut = error.message.search(/\n\s*0: \S+::/);
  if (cut < 0) return error;
  return new Error(`Database migration failed: ${error.message.slice(0, cut).trim()}`, { cause: error });
}
