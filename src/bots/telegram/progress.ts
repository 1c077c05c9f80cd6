// Shows a reply while the model still writes it. Private chats: the Bot API's sendMessageDraft (an ephemeral
// draft that the final sendMessage replaces). Where drafts are not available (groups, a server that refuses
// the method, any error from it): one message, sent with the first view and edited at most once per second;
// the final reply then replaces it. The pacing is the shared one (../progress-pump.ts): only the newest view,
// one call in flight, none queued, so a slow or rate-limited chat (429 retry_after, waited out by auto-retry or
// here) sees fewer updates, never a backlog.
import type { Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import type { Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import type { DeliveryChat } from './deliver-replies.ts';
import { renderReplyParts } from './render-reply.ts';
import { describeError, isForbidden, isNotModified } from './errors.ts';
import { startProgressPump, type ProgressPumpControl } from '../progress-pump.ts';
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
  let messageId: number | undefined;
  const thread = target.threadId !== undefined ? { message_thread_id: target.threadId } : {};

  const pump = startProgressPump<string>({
    graceMs: PROGRESS_MESSAGE_GRACE_MS,
    intervalMs: () => (mode === 'draft' ? DRAFT_INTERVAL_MS : EDIT_INTERVAL_MS),
    translator: target.translator,
    onNoTranslator: (err) => log.info({ err: describeError(err) }, 'telegram: no translator for progress'),
    render(view, t) {
      // HTML like the final reply (spoilers stay hidden); one part: the final reply shows the rest.
      const first = renderReplyParts(view, t)[0]; // each part is below Telegram's 4096 characters
      return first && first.text.trim() ? first.html : undefined;
    },
    same: (a, b) => a === b,
    send,
    onSendError,
  });

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

  function onSendError(err: unknown, control: ProgressPumpControl): void {
    const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
    if (retryAfter !== undefined) {
      control.notBefore(Date.now() + retryAfter * 1000);
      return;
    }
    if (isNotModified(err)) {
      control.markShown(); // already on screen: not sent again
      return;
    }
    if (mode === 'draft') {
      // No drafts here: edit a message instead. A server without the method will not grow one: remember it.
      const missing = err instanceof GrammyError && err.error_code === 404;
      if (missing) target.drafts.refused = true;
      log.info({ err: describeError(err), remembered: missing }, 'telegram: drafts not available, editing a message instead');
      mode = 'edit';
      control.forgetShown();
      return;
    }
    // An edit or the first message failed (forbidden, gone, too old): progress ends; the final reply still goes.
    if (!isForbidden(err)) log.info({ err: describeError(err) }, 'telegram: progress message failed; showing the final reply only');
    control.stop();
  }

  return {
    show: (view) => pump.show(view),
    async finish() {
      // Idempotent: the handler calls it before the final reply and again in its finally block. The final reply
      // edits the progress message: that edit, too, comes at most once per second.
      await pump.finish(() => messageId !== undefined);
      return messageId;
    },
  };
}
