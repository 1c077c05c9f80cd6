// One process per journal directory: a lock file holding the owner's pid, created exclusively (O_EXCL).
// A lock whose pid is no longer alive (or is our own pid: a container restarted, pid 1 again) is stale and
// taken over; its journal is then replayed by the new owner. A live owner means refusal with a clear message.
// Hand-written (a dozen lines) because the maintained lockfile packages (proper-lockfile) judge staleness by
// an mtime the owner must keep touching; a pid check needs no timer and is exact on one host, which is the
// rule here (a journal directory is local to one machine: a volume per replica).
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'journal.lock';

export class JournalLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `ACTIVITY_JOURNAL_DIR ${dir} is in use by another running process (pid ${pid}). ` +
        'Each bot process needs a journal directory of its own: set ACTIVITY_JOURNAL_DIR per process (in containers, a volume per replica).',
    );
    this.name = 'JournalLockedError';
  }
}

export interface DirectoryLock {
  /** The pid of the previous owner whose stale lock was taken over, if any. */
  readonly takenOverFrom: number | undefined;
  release(): void;
}

export function lockDirectory(dir: string): DirectoryLock {
  const path = join(dir, LOCK_FILE);
  let takenOverFrom: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        takenOverFrom,
        release() {
          try {
            if (readPid(path) === process.pid) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readPid(path);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new JournalLockedError(dir, owner);
    takenOverFrom = owner;
    try {
      unlinkSync(path);
    } catch {
      // another starter removed it first; try again
    }
  }
  throw new Error(`could not lock ACTIVITY_JOURNAL_DIR ${dir}`);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}
