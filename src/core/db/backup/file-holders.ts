// Which other processes have a file open, read from /proc (Linux). A restore must not replace the database under
// a running bot: its open connection would go on writing into the replaced file, and the next start would lose it.
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

/**
 * The pids (other than this one) holding any of `files` open; undefined where /proc cannot tell (not Linux),
 * so the caller can say it could not check.
 */
export function processesHolding(files: string[]): number[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const wanted = new Set<string>();
  for (const file of files) {
    try {
      wanted.add(realpathSync(file));
    } catch {
      // a -wal or -shm file that does not exist
    }
  }
  if (wanted.size === 0) return [];
  const holders: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process we cannot read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) {
        holders.push(Number(pid));
        break;
      }
    }
  }
  return holders;
}
