// PostgreSQL backups are pg_dump's: a consistent snapshot taken in one transaction while the bot writes, in its
// custom format (compressed; restored with pg_restore). pg_dump is a separate program (Debian: postgresql-client),
// so its absence is said plainly rather than reported as a failed spawn.
import { spawn } from 'node:child_process';
import { accessSync, constants, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export class BackupToolMissing extends Error {
  override name = 'BackupToolMissing';
}

/** The pg_dump on PATH (or PG_DUMP), or undefined. */
export function findPgDump(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PG_DUMP) return env.PG_DUMP;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'pg_dump');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * How to call pg_dump for a Prisma connection string: the password goes in the environment (never on the command
 * line, where `ps` shows it), and Prisma's `?schema=` becomes pg_dump's --schema (libpq refuses unknown parameters).
 */
const PRISMA_ONLY_PARAMETERS = ['schema', 'connection_limit', 'pool_timeout', 'pgbouncer', 'statement_cache_size', 'socket_timeout'];

export function pgDumpInvocation(url: string): { args: string[]; env: Record<string, string> } {
  const parsed = new URL(url);
  const env: Record<string, string> = {};
  const args: string[] = [];
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.password = '';
  const schema = parsed.searchParams.get('schema');
  if (schema) args.push(`--schema=${schema}`);
  // Prisma's own parameters mean nothing to libpq (and it refuses unknown ones); libpq's (sslmode…) stay.
  for (const key of PRISMA_ONLY_PARAMETERS) parsed.searchParams.delete(key);
  return { args: [...args, `--dbname=${parsed.toString()}`], env };
}

export async function dumpPostgres(url: string, destination: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const pgDump = findPgDump(env);
  if (!pgDump) {
    throw new BackupToolMissing(
      'pg_dump is not installed, so no PostgreSQL backup was written. Install the PostgreSQL client tools of the server\'s major version (Debian/Ubuntu: apt-get install postgresql-client) or set PG_DUMP to its path.',
    );
  }
  const partial = `${destination}.partial`;
  const { args, env: extra } = pgDumpInvocation(url);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(pgDump, ['--format=custom', '--no-owner', `--file=${partial}`, ...args], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`pg_dump failed (${signal ?? `exit code ${code}`}): ${stderr.trim().slice(0, 500)}`));
      });
    });
    renameSync(partial, destination);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
