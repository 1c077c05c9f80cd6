// Messages the bot sends on its own (reminders): no update to answer, so the chat is all we know.
import type { Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import type { Incoming, TutorFrontDoor } from '../../commands/front-door.ts';
import type { DeliveryResult, Reply } from '../../core/types.ts';
import { deliverReplies } from './deliver-replies.ts';
import { describeError } from './errors.ts';

export interface UnpromptedDeps {
  api: Api;
  frontDoor: TutorFrontDoor;
  logger: Logger;
  botTopics: Set<string>;
}

export async function sendUnprompted(deps: UnpromptedDeps, chatId: string, replies: Reply[]): Promise<DeliveryResult> {
  const id = Number(chatId);
  const log = deps.logger.child({ platform: 'telegram', chatId, unprompted: true });
  if (!Number.isSafeInteger(id) || id === 0) {
    log.error('telegram: not a Telegram chat id');
    return 'failed';
  }
  const isPrivate = id > 0;
  const incoming: Incoming = {
    // In a private chat the chat id is the user's id, so the front door finds the learner's interface language.
    user: { platform: 'telegram', externalId: chatId, displayName: chatId },
    conversation: { platform: 'telegram', chatId, isGroup: !isPrivate },
    log,
  };
  try {
    const t = await deps.frontDoor.translator(incoming);
    return await deliverReplies(
      { api: deps.api, frontDoor: deps.frontDoor, incoming, log, t, chat: { id, type: isPrivate ? 'private' : 'supergroup', isForum: false }, botTopics: deps.botTopics },
      replies,
    );
  } catch (err) {
    log.error({ err: describeError(err) }, 'telegram: unprompted send failed');
    return 'failed';
  }
}
