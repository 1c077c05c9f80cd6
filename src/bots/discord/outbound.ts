// Messages the bot sends without an incoming update (reminders). The chat id is a channel id: a DM
// channel, a guild channel or a thread, as in every ConversationRef this adapter produced.
import type { DeliveryResult, Reply } from '../../core/types.ts';
import type { DiscordContext } from './context.ts';
import { deliverReplies } from './deliver.ts';
import { describeError, isChatGone } from './errors.ts';
import { conversationRef } from './incoming.ts';
import { channelTarget } from './targets.ts';

export async function sendToChat(ctx: DiscordContext, chatId: string, replies: Reply[]): Promise<DeliveryResult> {
  const log = ctx.logger.child({ chat: chatId, event: 'send' });
  try {
    const channel = ctx.client.channels.cache.get(chatId) ?? (await ctx.client.channels.fetch(chatId));
    if (!channel?.isSendable()) return 'blocked';
    const guildId = 'guildId' in channel ? channel.guildId : null;
    await deliverReplies(ctx, { log, conversation: conversationRef(chatId, guildId) }, ctx.defaultTranslator, channelTarget(channel), replies);
    return 'sent';
  } catch (error) {
    const gone = isChatGone(error);
    log[gone ? 'info' : 'error']({ error: describeError(error) }, gone ? 'discord: chat is closed to the bot' : 'discord: sending failed');
    return gone ? 'blocked' : 'failed';
  }
}
