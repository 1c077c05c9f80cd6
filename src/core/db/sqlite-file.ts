// The SQLite database is a file in a folder: two things can go wrong with it that SQLite itself reports badly.
// - At start-up the folder (or the file) is not writable: SQLite says "unable to open database file", and the
//   migration engine adds a Rust backtrace. checkSqliteWritable() tries what SQLite will need (create the
//   folder, create a file in it, open the database file for writing) and says which path and why.
// - While running, the file is deleted (or replaced): the open connection keeps writing into the deleted file
//   and everything is lost at the next start, silently. sqliteFileProblem() compares the file at the path with
//   the one opened (device and inode).
// As root, permission bits do not stop anything: only what really fails is reported (EACCES for a user without
// permission, EPERM for an immutable folder (chattr +i), EROFS for a read-only mount, ENOTDIR, ENOSPC…).
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../logger.ts';

/** A start-up problem with the database's location, in words an operator can act on. */
export class DatabaseLocationError extends Error {
  override name = 'DatabaseLocationError';
}

export interface FileIdentity {
  dev: number;
  ino: number;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
      return `permission denied (EACCES) for ${whoAmI()}`;
    case 'EPERM':
      return 'operation not permitted (EPERM): the folder or file may be immutable (chattr +i) or otherwise locked';
    case 'EROFS':
      return 'the file system is mounted read-only (EROFS)';
    case 'ENOTDIR':
    case 'EEXIST':
      return `a part of the path is a file, not a folder (${code})`;
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is exhausted (EDQUOT)';
    default:
      return code ? `${code}: ${(error as Error).message}` : String((error as Error)?.message ?? error);
  }
}

function whoAmI(): string {
  const uid = process.getuid?.();
  return uid === undefined ? 'this user' : `the user running the bot (uid ${uid})`;
}

const FIX = 'Make it writable for the user running the bot, or point DATABASE_URL at a writable location (DATABASE_URL=file:/path/to/tutor.db).';

/**
 * Throws a DatabaseLocationError naming the path and the problem when SQLite could not create or write the
 * database at `location`: the folder must be creatable and writable (SQLite creates the -wal and -shm files
 * next to the database), and an existing database file must open for writing.
 */
export function checkSqliteWritable(location: string): void {
  const folder = dirname(location);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DatabaseLocationError(`Cannot create the database folder ${folder}: ${reason(error)}. ${FIX}`, { cause: error });
  }
  const probe = join(folder, `.${basename(location)}.write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    throw new DatabaseLocationError(
      `The database folder ${folder} is not writable: ${reason(error)}. SQLite keeps ${basename(location)} and its journal files (-wal, -shm) there. ${FIX}`,
      { cause: error },
    );
  }
  try {
    closeSync(openSync(location, 'r+'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // created by SQLite on open
    throw new DatabaseLocationError(`The database file ${location} cannot be opened for writing: ${reason(error)}. ${FIX}`, { cause: error });
  }
}

export function fileIdentity(location: string): FileIdentity | undefined {
  try {
    const { dev, ino } = statSync(location);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

/** Why the database file at `location` is no longer the one the bot opened (`opened`), or undefined if it is. */
export function sqliteFileProblem(location: string, opened: FileIdentity): string | undefined {
  const now = fileIdentity(location);
  const consequence = 'the bot keeps writing into the file it opened, which is gone: everything from now on is lost when it stops. Restore the file (or accept a new, empty database) and restart the bot.';
  if (!now) return `The database file ${location} was deleted while the bot was running: ${consequence}`;
  if (now.dev !== opened.dev || now.ino !== opened.ino) return `The database file ${location} was replaced by another file while the bot was running: ${consequence}`;
  return undefined;
}

export interface DatabaseFileWatch {
  /** The current problem (also logged, once, when it appears), or undefined. */
  check(): string | undefined;
  stop(): void;
}

/** How often a running bot looks at its SQLite file (besides each /healthz). */
export const DATABASE_FILE_CHECK_MS = 5_000;

/**
 * Looks at the database file every `intervalMs` and at each check() (the /healthz probe): an error line when the
 * file goes missing or is replaced, an info line if it comes back. Nothing to do for PostgreSQL.
 */
export function watchDatabaseFile(
  database: { fileProblem(): string | undefined },
  logger: Pick<Logger, 'error' | 'info'>,
  intervalMs = DATABASE_FILE_CHECK_MS,
): DatabaseFileWatch {
  let reported: string | undefined;
  const check = () => {
    const problem = database.fileProblem();
    if (problem && problem !== reported) logger.error({ problem }, `database file problem: ${problem}`);
    if (!problem && reported) logger.info('database file is back');
    reported = problem;
    return problem;
  };
  const timer = setInterval(check, intervalMs);
  timer.unref(); // never keeps a finished process alive
  return { check, stop: () => clearInterval(timer) };
}
