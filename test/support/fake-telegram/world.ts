// Shared state of one fake Bot API server.
import { ChatState, type FakeUser } from './state.ts';
import { RateLimiter, type FakeRateLimits } from './rate-limits.ts';
import { badRequest } from './validate.ts';
import type { UploadedFile } from './request-body.ts';

export interface StoredFile extends UploadedFile {
  fileId: string;
  filePath: string;
  /** The size Telegram reports (getFile's file_size); the bytes' length unless a test claims otherwise. */
  size: number;
}

export interface CallbackQueryState {
  answered: boolean;
  answer?: { text?: string; show_alert?: boolean };
}

export class FakeWorld {
  readonly chats = new Map<number, ChatState>();
  /** Every user the test created, by id (getChatMember answers with them). */
  readonly users = new Map<number, FakeUser>();
  readonly callbackQueries = new Map<string, CallbackQueryState>();
  /** Files by file_id: uploads by users (documents, voice notes) and by the bot (sendDocument, sendVoice). */
  readonly files = new Map<string, StoredFile>();
  private fileCounter = 0;
  commands: Array<{ command: string; description: string }> = [];
  webhook: { url: string; secretToken?: string; allowedUpdates?: string[] } | undefined;
  readonly rate: RateLimiter;
  /** A server without sendMessageDraft (an older Bot API, a proxy): the method answers 404. */
  draftsUnsupported = false;
  /**
   * Minimum time between two changing edits of one message's text (a sooner one is 429), for tests of streamed
   * progress, which must edit at most once per second. 0 (the default): not checked, as for button presses.
   */
  editIntervalMs = 0;

  constructor(
    readonly bot: FakeUser,
    limits: FakeRateLimits,
  ) {
    this.rate = new RateLimiter(limits);
  }

  storeFile(file: UploadedFile, options: { folder?: 'documents' | 'voice'; size?: number } = {}): StoredFile {
    const n = ++this.fileCounter;
    const stored: StoredFile = {
      ...file,
      fileId: `file-${n}-${Math.random().toString(36).slice(2, 8)}`,
      filePath: `${options.folder ?? 'documents'}/file_${n}_${file.filename}`,
      size: options.size ?? file.bytes.length,
    };
    this.files.set(stored.fileId, stored);
    return stored;
  }

  chat(chatId: unknown): ChatState {
    const state = this.chats.get(Number(chatId));
    if (!state) throw badRequest('chat not found');
    return state;
  }
}
