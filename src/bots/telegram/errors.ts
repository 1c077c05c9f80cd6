// Classifies Bot API failures and turns any error into a loggable, token-free object.
// grammY's HttpError wraps the fetch error, whose message can contain the request URL with the bot token:
// never log raw error objects from the API, log describeError(err) instead.
import { GrammyError, HttpError } from 'grammy';
import { scrubSecrets } from '../../logger.ts';

export interface ErrorDescription {
  name: string;
  message: string;
  method?: string;
  errorCode?: number;
  cause?: string;
  stack?: string;
}

export function describeError(err: unknown): ErrorDescription {
  if (err instanceof GrammyError) {
    // A server that is not Telegram (a proxy, an emulator) may answer without a description.
    return { name: err.name, method: err.method, errorCode: err.error_code, message: scrubSecrets(err.description ?? err.message ?? '') };
  }
  if (err instanceof HttpError) {
    const inner = err.error instanceof Error ? scrubSecrets(err.error.message) : undefined;
    return { name: err.name, message: scrubSecrets(err.message), ...(inner ? { cause: inner } : {}) };
  }
  if (err instanceof Error) {
    return { name: err.name, message: scrubSecrets(err.message), ...(err.stack ? { stack: scrubSecrets(err.stack) } : {}) };
  }
  return { name: 'Unknown', message: scrubSecrets(String(err)) };
}

function apiError(err: unknown): GrammyError | undefined {
  return err instanceof GrammyError ? err : undefined;
}

/** 403: the user blocked the bot, left/kicked from the group, or the chat was deleted. Nothing more can be sent. */
export function isForbidden(err: unknown): boolean {
  return apiError(err)?.error_code === 403;
}

/** The chat does not exist (any more), e.g. a group that was deleted or upgraded to a supergroup. */
export function isChatGone(err: unknown): boolean {
  return /chat not found|group chat was upgraded|CHAT_ID_INVALID/i.test(apiError(err)?.description ?? '');
}

/** Editing with exactly the content the message already has. */
export function isNotModified(err: unknown): boolean {
  return /message is not modified/i.test(apiError(err)?.description ?? '');
}

/** Our HTML was rejected: resend as plain text rather than lose the reply. */
export function isEntityParseError(err: unknown): boolean {
  return /can't parse entities/i.test(apiError(err)?.description ?? '');
}

/** The topic we wanted to write into is gone (deleted or closed by an admin). */
export function isThreadGone(err: unknown): boolean {
  return /thread not found|topic_closed|topic_deleted|TOPIC_CLOSED|TOPIC_DELETED/i.test(apiError(err)?.description ?? '');
}
