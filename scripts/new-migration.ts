// Writes the next migration for both providers from prisma/schema.prisma, offline (WebAssembly schema engine):
//   npm run migration:new -- <name>
// CHECK rules (content types, rating 1–5) are not expressible in Prisma's schema language, so they are
// added to the generated SQL here (see prisma/checks.ts).
// The next migration is the difference between the schema as of the last migration (a snapshot kept in
// prisma/migrations/schema.snapshot.prisma) and the current schema. Diffing two datamodels needs no
// database: diffing from the migrations would need a shadow database, and through adapter-pg the engine
// cannot introspect one ("Column type 'char' could not be deserialized").
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { adapterFactoryFor } from '../src/core/db/client.ts';
import { loadMigrationsList, migrationsDir, schemaPath } from '../src/core/db/migrations.ts';
import { NO_FILTERS, openSchemaEngine } from '../src/core/db/schema-engine.ts';
import type { DatabaseProvider } from '../src/core/db/url.ts';
import { projectRoot } from '../src/core/paths.ts';
import { addCheckConstraints } from '../prisma/checks.ts';
import { derivePostgresSchema } from './schema-variants.mjs';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_');
if (!name) {
  console.error('usage: npm run migration:new -- <name>');
  process.exit(2);
}
// Make sure prisma/generated/postgresql.prisma is current.
execFileSync(process.execPath, [join(projectRoot, 'scripts', 'prisma-generate.mjs')], { stdio: 'inherit' });

const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const snapshotPath = join(projectRoot, 'prisma', 'migrations', 'schema.snapshot.prisma');
const snapshot = existsSync(snapshotPath) ? await readFile(snapshotPath, 'utf8') : undefined;
const variant = (provider: DatabaseProvider, text: string) => (provider === 'sqlite' ? text : derivePostgresSchema(text));
let written = false;

for (const provider of ['sqlite', 'postgresql'] as const) {
  const dir = migrationsDir(provider);
  await mkdir(dir, { recursive: true });
  const lockPath = join(dir, 'migration_lock.toml');
  if (!existsSync(lockPath)) {
    await writeFile(lockPath, `# Written by scripts/new-migration.ts. Do not edit.\nprovider = "${provider}"\n`);
  }
  const path = schemaPath(provider);
  const content = await readFile(path, 'utf8');
  const migrationsList = await loadMigrationsList(provider);
  if (migrationsList.migrationDirectories.length > 0 && !snapshot) {
    throw new Error(`${snapshotPath} is missing: it must hold the schema as of the last migration`);
  }
  // Any adapter will do: a datamodel-to-datamodel diff does not connect.
  const factory = await adapterFactoryFor({ provider: 'sqlite', location: ':memory:' });
  const { engine, close } = await openSchemaEngine(path, content, factory);
  const from =
    migrationsList.migrationDirectories.length === 0 || !snapshot
      ? ({ tag: 'empty' } as const)
      : ({ tag: 'schemaDatamodel', files: [{ path: snapshotPath, content: variant(provider, snapshot) }] } as const);
  let sql = '';
  try {
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path, content }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    } as Parameters<typeof engine.diff>[0]);
    sql = result.stdout ?? '';
  } finally {
    await close();
  }
  if (!sql.trim() || /empty migration/i.test(sql)) {
    console.log(`${provider}: schema unchanged, no migration written`);
    continue;
  }
  const out = join(dir, `${stamp}_${name}`);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'migration.sql'), addCheckConstraints(provider, sql));
  console.log(`${provider}: wrote ${out}/migration.sql`);
  written = true;
}
if (written || !snapshot) {
  await writeFile(snapshotPath, await readFile(schemaPath('sqlite'), 'utf8'));
  console.log(`updated ${snapshotPath}`);
}
