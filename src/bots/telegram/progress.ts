// Shows a reply while the model still writes it. Private chats: the Bot API's sendMessageDraft (an ephemeral
// draft that the final sendMessage replaces). Where drafts are not available (groups, a server that refuses
// the method, any error from it): one message, sent with the first view and edited at most once per second;
// the final reply then replaces it. Only the newest view is sent (one call in flight, none queued), so a slow
// or rate-limited chat (429 retry_after, waited out by auto-retry or here) sees fewer updates, never a backlog.
import type { Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import type { Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import type { DeliveryChat } from './deliver-replies.ts';
import { renderReplyParts } from './render-reply.ts';
import { describeError, isForbidden, isNotModified } from './errors.ts';
import { GrammyError } from 'grammy';

/** Drafts animate; a few per second are plenty and keep the request count low. */
export const DRAFT_INTERVAL_MS = 250;
/** The edits of one message: at most one per second. */
export const EDIT_INTERVAL_MS = 1000;
/**
 * No progress (draft or message) for an answer ready within this time: a fast model's reply comes as one message,
 * without drafts or a message that is sent, edited and then replaced.
 */
export const PROGRESS_MESSAGE_GRACE_MS = 1000;

/** What the adapter learned about drafts for the whole process (a server without the method says so once). */
export interface DraftSupport {
  refused: boolean;
}

export interface ProgressTarget {
  api: Api;
  chat: DeliveryChat;
  threadId?: number;
  /** Groups: the learner's message, which the progress message answers. */
  replyToMessageId?: number;
  log: Logger;
  /** The learner's translator, asked for once, when the first view arrives. */
  translator: () => Promise<Translator>;
  drafts: DraftSupport;
}

export interface TelegramProgress {
  show(view: Reply): void;
  /** Stops (waits for the call in flight); the id of the progress message the final reply should replace, if any. */
  finish(): Promise<number | undefined>;
}

export function startProgress(target: ProgressTarget): TelegramProgress {
  const { api, chat, log } = target;
  let mode: 'draft' | 'edit' = chat.type === 'private' && !target.drafts.refused ? 'draft' : 'edit';
  // Drafts with one id animate into each other; any non-zero 31-bit id will do.
  const draftId = 1 + Math.floor(Math.random() * 0x7ffffffe);
  /** The newest view, not rendered yet: rendering waits until it may be sent (most views of a fast answer never are). */
  let pending: Reply | undefined;
  /** The newest rendered view, and the one on screen. */
  let latest = '';
  let shown = '';
  let messageId: number | undefined;
  let notBefore = Date.now() + PROGRESS_MESSAGE_GRACE_MS;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let t: Translator | undefined;
  let loading: Promise<void> | undefined;
  const thread = target.threadId !== undefined ? { message_thread_id: target.threadId } : {};

  const pump = () => {
    if (stopped || inFlight || (!pending && latest === shown)) return;
    const wait = notBefore - Date.now();
    if (wait > 0) {
      timer ??= setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
      return;
    }
    if (pending && !t) {
      // The learner's translator, asked for once, when the first view may be shown.
      loading ??= target.translator().then(
        (loaded) => {
          t = loaded;
          pump();
        },
        (err: unknown) => {
          log.info({ err: describeError(err) }, 'telegram: no translator for progress');
          stopped = true;
        },
      );
      return;
    }
    if (pending) {
      // HTML like the final reply (spoilers stay hidden); one part: the final reply shows the rest.
      const first = renderReplyParts(pending, t!)[0]; // each part is below Telegram's 4096 characters
      pending = undefined;
      if (first && first.text.trim()) latest = first.html;
    }
    if (latest === shown) return;
    const text = latest;
    inFlight = send(text)
      .then(() => {
        shown = text;
      })
      .catch((err: unknown) => onError(err))
      .finally(() => {
        notBefore = Math.max(notBefore, Date.now() + (mode === 'draft' ? DRAFT_INTERVAL_MS : EDIT_INTERVAL_MS));
        inFlight = undefined;
        pump();
      });
  };

  async function send(text: string): Promise<void> {
    if (mode === 'draft') {
      await api.sendMessageDraft(chat.id, draftId, text, { ...thread, parse_mode: 'HTML' });
      return;
    }
    if (messageId === undefined) {
      const message = await api.sendMessage(chat.id, text, {
        ...thread,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(target.replyToMessageId !== undefined ? { reply_parameters: { message_id: target.replyToMessageId, allow_sending_without_reply: true } } : {}),
      });
      messageId = message.message_id;
      return;
    }
    await api.editMessageText(chat.id, messageId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  }

  function onError(err: unknown): void {
    const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
    if (retryAfter !== undefined) {
      notBefore = Date.now() + retryAfter * 1000;
      return;
    }
    if (isNotModified(err)) return;
    if (mode === 'draft') {
      // No drafts here: edit a message instead. A server without the method will not grow one: remember it.
      const missing = err instanceof GrammyError && err.error_code === 404;
      if (missing) target.drafts.refused = true;
      log.info({ err: describeError(err), remembered: missing }, 'telegram: drafts not available, editing a message instead');
      mode = 'edit';
      shown = '';
      return;
    }
    // An edit or the first message failed (forbidden, gone, too old): progress ends; the final reply still goes.
    if (!isForbidden(err)) log.info({ err: describeError(err) }, 'telegram: progress message failed; showing the final reply only');
    stopped = true;
  }

  let finishing: Promise<number | undefined> | undefined;
  return {
    show(view) {
      if (stopped) return;
      pending = view;
      pump();
    },
    finish() {
      // Idempotent: the handler calls it before the final reply and again in its finally block.
      finishing ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await inFlight;
        // The final reply edits the progress message: that edit, too, comes at most once per second.
        const wait = notBefore - Date.now();
        if (messageId !== undefined && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return messageId;
      })();
      return finishing;
    },
  };
}
