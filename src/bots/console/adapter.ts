// The terminal adapter: reads stdin line by line (a TTY or a pipe), writes replies to stdout.
// Buttons appear as numbered choices answered by typing the number. Choices are numbered through the whole
// session (1, 2, … then 3, 4, … for the next reply), so a choice stays reachable after later replies offer
// theirs. Lines are handled one at a time, in order, so a piped script behaves like a person typing. While
// a line is being answered (the model may take seconds) a "…" line shows at once.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TutorFrontDoor, Incoming } from '../../commands/front-door.ts';
import type { Button, ConversationRef, DeliveryResult, IncomingAttachment, Reply, UserRef } from '../../core/types.ts';
import type { Logger } from '../../logger.ts';
import type { PlatformAdapter } from '../adapter.ts';
import { renderBlocks, renderReply } from './render.ts';

/** The line shown while an answer is being prepared. */
export const WORKING = '…';
/** Cursor up one line, clear it: removes the "…" line on a terminal. */
const ERASE_PREVIOUS_LINE = '\x1b[1A\x1b[2K';
/** Choices remembered per session (the oldest are forgotten beyond this). */
const MAX_CHOICES = 10_000;

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
  // One private chat per OS user: two people's terminals on one database (a shared file, PostgreSQL) are two
  // conversations, and a reminder or link notice for one is never shown in the other's terminal.
  const chatId = terminalChatId(name);
  const conversation: ConversationRef = { platform: 'console', chatId, isGroup: false };
  // Every choice offered in this session by its number. Numbers are never reused, so typing one always means
  // the choice shown next to it. A terminal session offers a few per reply; the cap only bounds a runaway one.
  const choices = new Map<number, Button>();
  let nextChoice = 1;
  let messageCounter = 0;
  let running = false;
  let stopping = false;
  let lines: ReturnType<typeof createInterface> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const write = (text: string) => output.write(`${text}\n`);
  const isTty = (output as { isTTY?: boolean }).isTTY === true;

  /** What the current answer's progress has printed so far ('' when none). */
  let progressShown = '';

  function incoming(): Incoming {
    return { user, conversation, log: options.logger.child({ platform: 'console', chatId, userId: name, line: messageCounter }), progress: showProgress };
  }

  /**
   * Prints an answer while it is written: only what is new since the last view (a growing role-play line, each
   * card or question once complete). A view that does not continue the last one is printed whole.
   */
  function showProgress(view: Reply): void {
    const text = renderBlocks(view.blocks);
    if (!progressShown && isTty) output.write(ERASE_PREVIOUS_LINE); // the "…" line gives way to the answer
    if (progressShown && text.startsWith(progressShown)) output.write(text.slice(progressShown.length));
    else output.write(progressShown ? `\n${text}` : text);
    progressShown = text;
  }

  async function show(replies: Reply[] | null): Promise<void> {
    if (!replies) return;
    const t = await frontDoor.translator(incoming());
    for (const reply of replies) {
      const { text, buttons } = renderReply(t, reply, nextChoice);
      write(text);
      write('');
      for (const button of buttons) choices.set(nextChoice++, button);
      for (const old of choices.keys()) {
        if (choices.size <= MAX_CHOICES) break;
        choices.delete(old);
      }
      messageCounter += 1;
      const messageId = String(messageCounter);
      await frontDoor.sent({ platform: 'console', chatId, messageId }, reply);
      if (reply.openThread) write(t('console.threadOpened'));
      if (reply.closeThread) write(t('console.threadClosed'));
      if (reply.attachment) {
        await mkdir(options.filesDir, { recursive: true });
        const path = join(options.filesDir, reply.attachment.filename);
        await writeFile(path, reply.attachment.data);
        write(t('console.attachment', { path }));
      }
      if (reply.voice) {
        // A voice note has no place in a terminal: it is written as an .ogg file to play with any player.
        await mkdir(options.filesDir, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const path = join(options.filesDir, `${stamp}-${messageId}-${reply.voice.filename}`);
        await writeFile(path, reply.voice.data);
        write(t('voice.written', { path, seconds: reply.voice.durationSeconds }));
      }
    }
  }

  /**
   * Shows "…" at once while an answer is prepared (a generation can take seconds). On a terminal the line is
   * erased again when the answer is there; in a pipe or a transcript it stays, marking where the wait was.
   */
  async function working<T>(answer: Promise<T>): Promise<T> {
    write(WORKING);
    progressShown = '';
    try {
      return await answer;
    } finally {
      // After progress the answer follows on its own lines (the final form, with its choices); else "…" goes.
      if (progressShown) write('\n');
      else if (isTty) output.write(ERASE_PREVIOUS_LINE);
      progressShown = '';
    }
  }

  async function handleLine(line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (/^\d{1,6}$/.test(text) && choices.size > 0) {
      const button = choices.get(Number(text));
      if (!button) {
        const t = await frontDoor.translator(incoming());
        write(t('console.invalidChoice', { number: text }));
        return;
      }
      await show(await working(frontDoor.action(incoming(), button.data)));
      return;
    }
    const { text: command, attachment } = await takeFile(text);
    await show(await working(frontDoor.text(incoming(), command, { addressed: true, ...(attachment ? { attachment } : {}) })));
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
    async send(to: string, replies: Reply[]): Promise<DeliveryResult> {
      // Another OS user's terminal: not this one's to show; it stays for that terminal.
      if (to !== chatId) return 'failed';
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

/** The terminal's chat for an OS user. */
export function terminalChatId(userName: string): string {
  return `terminal:${userName}`;
}

function safeUserName(): string {
  try {
    return userInfo().username || 'learner';
  } catch {
    return 'learner';
  }
}
