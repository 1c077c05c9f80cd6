// Runs in a child process (see processes.ts): one real bot core (createCore with a config from the
// environment the parent sends), driven over IPC: open, text, close. What a bot process does between an
// adapter and the core, without the platform: enough to prove what several processes share.
import { createCore, type Core } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { incomingFrom, replyText } from '../../support/incoming.ts';
import { tempJournalDir } from '../../support/journal-dir.ts';

export type Request =
  | { id: number; op: 'open'; env: Record<string, string> }
  | { id: number; op: 'text'; user: { id: string; name?: string }; text: string }
  | { id: number; op: 'close' };

export type Response = { id: number; ok: true; text?: string } | { id: number; ok: false; error: string };

let core: Core | undefined;
let journal: { dir: string; remove(): void } | undefined;
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');

async function handle(request: Request): Promise<string | undefined> {
  switch (request.op) {
    case 'open':
      if (core) throw new Error('a core is open already');
      // Each process its own activity journal (a directory is locked by the process using it).
      journal ??= tempJournalDir('core-process-journal');
      core = await createCore(loadConfig({ ACTIVITY_JOURNAL_DIR: journal.dir, ...request.env }), createLogger(request.env.LOG_LEVEL ?? 'warn'));
      return undefined;
    case 'text': {
      if (!core) throw new Error('no core open');
      const incoming = incomingFrom(logger, request.user);
      return replyText(await core.frontDoor.text(incoming, request.text, { addressed: true }));
    }
    case 'close': {
      const closing = core;
      core = undefined;
      await closing?.stop();
      return undefined;
    }
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (text) => process.send!({ id: request.id, ok: true, ...(text === undefined ? {} : { text }) } satisfies Response),
    (error: unknown) => process.send!({ id: request.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies Response),
  );
});
process.on('disconnect', () => {
  void (core?.stop() ?? Promise.resolve()).finally(() => {
    journal?.remove();
    process.exit(0);
  });
});
process.send!({ id: 0, ok: true } satisfies Response);
