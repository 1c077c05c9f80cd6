// The tutor as a learner or an operator runs it: `node dist/main.js …` (what `npm run chat` and `npm start` run,
// built by test/global-setup.ts) in a child process with a minimal environment, its output collected, and the activity log read back from its database afterwards.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { openDatabase } from '../../src/core/db/client.ts';
import { projectRoot } from '../../src/core/paths.ts';
import { tempJournalDir } from './journal-dir.ts';
import { endWithTheFile } from './leftover-processes.ts';

export type TutorProcess = ChildProcessWithoutNullStreams & {
  stdoutText(): string;
  stderrText(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export function spawnTutor(args: string[], env: Record<string, string>): TutorProcess {
  // Each process its own activity journal unless the test names one (to restart a process on it).
  const journal = env.ACTIVITY_JOURNAL_DIR ? undefined : tempJournalDir('process-journal');
  const child = endWithTheFile(spawn(process.execPath, ['dist/main.js', ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...(journal ? { ACTIVITY_JOURNAL_DIR: journal.dir } : {}), ...env },
  }));
  if (journal) child.on('exit', () => journal.remove());
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  // Writing to a child that has just been killed fails with EPIPE; the tests look at the exit instead.
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return Object.assign(child, { stdoutText: () => out, stderrText: () => err, exited });
}

/** Every activity-log row in the database at `url`, through a client of its own (the child has exited). */
export async function activityRows(url: string) {
  const db = await openDatabase(url);
  try {
    return await db.prisma.activityLog.findMany();
  } finally {
    await db.close();
  }
}
