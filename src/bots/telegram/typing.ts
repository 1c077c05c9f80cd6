// "typing…" while the front door works, for an answer not ready within a grace (a fast answer needs no
// indicator, and sends one request less). Telegram shows a chat action for at most 5 s, so it is refreshed
// every 4 s until the reply is out; the returned function stops it (call it in a finally block).
import type { Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import { describeError } from './errors.ts';

export const TYPING_REFRESH_MS = 4000;
/** No typing… for an answer ready within this time (the same grace as a progress message's). */
export const TYPING_GRACE_MS = 1000;

export function startTyping(api: Api, chatId: number, threadId: number | undefined, log: Logger, graceMs = TYPING_GRACE_MS): () => void {
  let stopped = false;
  let refresh: NodeJS.Timeout | undefined;
  const send = () => {
    if (stopped) return;
    api
      .sendChatAction(chatId, 'typing', threadId !== undefined ? { message_thread_id: threadId } : {})
      .catch((err: unknown) => log.debug({ err: describeError(err) }, 'telegram: chat action failed'));
  };
  const begin = () => {
    send();
    refresh = setInterval(send, TYPING_REFRESH_MS);
    refresh.unref();
  };
  const first = graceMs > 0 ? setTimeout(begin, graceMs) : undefined;
  first?.unref();
  if (!first) begin();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(refresh);
  };
}
