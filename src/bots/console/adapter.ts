// The terminal adapter: reads stdin line by line (a TTY or a pipe), writes replies to stdout.
// Buttons appear as numbered choices answered by typing the number. Lines are handled one at a time,
// in order, so a piped script behaves like a person typing.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TutorFrontDoor, Incoming } from '../../commands/front-door.ts';
import type { Button, ConversationRef, DeliveryResult, IncomingAttachment, Reply, UserRef } from '../../core/types.ts';
import type { Logger } from '../../logger.ts';
import type { PlatformAdapter } from '../adapter.ts';
import { renderReply } from './render.ts';

export interface ConsoleAdapterOptions {
  frontDoor: TutorFrontDoor;
  logger: Logger;
  input: Readable;
  output: Writable;
  /** Folder for files the bot sends (exports, charts). */
  filesDir: string;
  userName?: string;
  /** Called once input has ended and the last line has been answered. */
  onEnd?: () => void;
}

export function createConsoleAdapter(options: ConsoleAdapterOptions): PlatformAdapter & { done: Promise<void> } {
  const { frontDoor, output } = options;
  const name = options.userName ?? safeUserName();
  const user: UserRef = { platform: 'console', externalId: name, displayName: name, locale: process.env.LANG?.split('.')[0] };
  const conversation: ConversationRef = { platform: 'console', chatId: 'terminal', isGroup: false };
  let pendingButtons: Button[] = [];
  let messageCounter = 0;
  let running = false;
  let stopping = false;
  let lines: ReturnType<typeof createInterface> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const write = (text: string) => output.write(`${text}\n`);

  function incoming(): Incoming {
    return { user, conversation, log: options.logger.child({ platform: 'console', chatId: 'terminal', userId: name, line: messageCounter }) };
  }

  async function show(replies: Reply[] | null): Promise<void> {
    if (!replies) return;
    const t = await frontDoor.translator(incoming());
    for (const reply of replies) {
      const { text, buttons } = renderReply(t, reply);
      write(text);
      write('');
      if (buttons.length > 0) pendingButtons = buttons;
      messageCounter += 1;
      const messageId = String(messageCounter);
      await frontDoor.sent({ platform: 'console', chatId: 'terminal', messageId }, reply);
      if (reply.openThread) write(t('console.threadOpened'));
      if (reply.closeThread) write(t('console.threadClosed'));
      if (reply.attachment) {
        await mkdir(options.filesDir, { recursive: true });
        const path = join(options.filesDir, reply.attachment.filename);
        await writeFile(path, reply.attachment.data);
        write(t('console.attachment', { path }));
      }
    }
  }

  async function handleLine(line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (/^\d{1,2}$/.test(text) && pendingButtons.length > 0) {
      const button = pendingButtons[Number(text) - 1];
      if (!button) {
        const t = await frontDoor.translator(incoming());
        write(t('console.invalidChoice', { number: text }));
        return;
      }
      await show(await frontDoor.action(incoming(), button.data));
      return;
    }
    if (text.startsWith('/')) pendingButtons = [];
    const { text: command, attachment } = await takeFile(text);
    await show(await frontDoor.text(incoming(), command, { addressed: true, ...(attachment ? { attachment } : {}) }));
  }

  return {
    platform: 'console',
    done,
    async start() {
      running = true;
      const t = await frontDoor.translator(incoming());
      write(t('console.ready'));
      lines = createInterface({ input: options.input, crlfDelay: Infinity, terminal: false });
      void (async () => {
        try {
          for await (const line of lines!) {
            // After stop() no further line starts: lines readline has already buffered (a pasted script, a
            // pipe) would otherwise run on after the core closed, their activity-log entries refused.
            if (stopping || /^\/(quit|exit)\b/i.test(line.trim())) break;
            try {
              await handleLine(line);
            } catch (error) {
              options.logger.error({ err: error }, 'console line failed');
            }
          }
        } finally {
          lines?.close();
          running = false;
          write(t('console.goodbye'));
          resolveDone();
          options.onEnd?.();
        }
      })();
    },
    async stop() {
      stopping = true;
      // Closing the interface ends the line loop at once (after the line in progress); destroying the input
      // alone does not end readline's iterator, and the stop would wait out the timeout below.
      lines?.close();
      options.input.destroy();
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    },
    isConnected: () => running,
    async send(_chatId: string, replies: Reply[]): Promise<DeliveryResult> {
      await show(replies);
      return 'sent';
    },
  };
}

/** The terminal's way to send a file with a command: `/import file:data/files/export.json`. */
async function takeFile(text: string): Promise<{ text: string; attachment?: IncomingAttachment }> {
  const match = /(?:^|\s)file:(\S+)/.exec(text);
  if (!match || !text.startsWith('/')) return { text };
  const path = match[1]!;
  const rest = text.replace(match[0], ' ').trim();
  try {
    return { text: rest, attachment: { filename: basename(path), data: await readFile(path) } };
  } catch {
    // Unreadable path: the command runs without a file and says what it needs.
    return { text: rest };
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || 'learner';
  } catch {
    return 'learner';
  }
}
