// `npm run migrate`: applies pending migrations to DATABASE_URL (SQLite file by default) and exits.
// The bot also applies them at start-up; this is for deployments that migrate as a separate step.
import 'dotenv/config';
import { adapterFactoryFor } from '../core/db/client.ts';
import { applyMigrations } from '../core/db/migrations.ts';
import { parseDatabaseUrl } from '../core/db/url.ts';

const target = parseDatabaseUrl(process.env.DATABASE_URL?.trim() || undefined);
const factory = await adapterFactoryFor(target);
try {
  const applied = await applyMigrations(target.provider, factory);
  const where = target.provider === 'sqlite' ? target.location : 'PostgreSQL';
  console.log(applied.length ? `Applied to ${where}: ${applied.join(', ')}` : `${where} is up to date.`);
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
