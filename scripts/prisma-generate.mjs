// Generates both Prisma clients (SQLite and PostgreSQL) from prisma/schema.prisma, offline.
// The PostgreSQL schema is derived from the SQLite one so the two never drift.
// `prisma generate` does not need the schema-engine binary, but the CLI tries to download it first;
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download (../shared/notes/prisma-offline.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePostgresSchema } from './schema-variants.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteSchema = join(root, 'prisma', 'schema.prisma');
const postgresSchema = join(root, 'prisma', 'generated', 'postgresql.prisma');

mkdirSync(dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, derivePostgresSchema(readFileSync(sqliteSchema, 'utf8')));

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  // Any existing file will do: generate never runs it.
  env.PRISMA_SCHEMA_ENGINE_BINARY = join(root, 'scripts', 'prisma-generate.mjs');
}
const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
if (!existsSync(cli)) {
  console.error('prisma CLI not installed; run npm ci first');
  process.exit(1);
}
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
}
