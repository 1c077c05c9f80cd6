// A fresh activity-journal directory for one test core or process (ACTIVITY_JOURNAL_DIR): two processes
// must never share one (the journal refuses a directory locked by a live process), and tests run in parallel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempJournalDir(label = 'journal'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tutor-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
