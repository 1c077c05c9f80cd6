// "typing…" while the front door works. Telegram shows a chat action for at most 5 s, so it is refreshed
// every 4 s until the reply is out; the returned function stops it (call it in a finally block).
import type { Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import { describeError } from './errors.ts';

export const TYPING_REFRESH_MS = 4000;

export function startTyping(api: Api, chatId: number, threadId: number | undefined, log: Logger): () => void {
  let stopped = false;
  const send = () => {
    if (stopped) return;
    api
      .sendChatAction(chatId, 'typing', threadId !== undefined ? { message_thread_id: threadId } : {})
      .catch((err: unknown) => log.debug({ err: describeError(err) }, 'telegram: chat action failed'));
  };
  send();
  const timer = setInterval(send, TYPING_REFRESH_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
