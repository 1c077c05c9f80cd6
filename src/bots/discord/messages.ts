// Ordinary messages. In DMs and in the bot's simulation threads every message is for the bot; in guild
// channels only those that mention it or reply to it. Text starting with '/' always reaches the front door,
// which runs it as a text command (like the terminal).
import { MessageType, type Message } from 'discord.js';
import type { MessageRef } from '../../core/types.ts';
import type { DiscordContext } from './context.ts';
import { deliverReplies } from './deliver.ts';
import { describeError } from './errors.ts';
import { incomingFromMessage, messageRef } from './incoming.ts';
import { downloadAttachment, downloadProblem } from './attachments.ts';
import { channelTarget, note } from './targets.ts';
import { isSimulationThread } from './threads.ts';

export async function handleMessage(ctx: DiscordContext, message: Message): Promise<void> {
  const botId = ctx.client.user.id;
  if (message.author.bot || message.author.id === botId || message.webhookId) return;
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return;

  const mentioned = message.mentions.users.has(botId);
  const repliedToBot = message.mentions.repliedUser?.id === botId;
  // Without the MessageContent intent, unaddressed guild messages arrive empty: nothing to do with them.
  const text = stripMention(message.content, botId);
  if (!text) return;
  const addressed = !message.guildId || mentioned || repliedToBot || isSimulationThread(ctx, message);
  // Unaddressed '/text' in a server may be meant for another bot: only this bot's command names count.
  if (!addressed && !isOwnCommand(ctx, text)) return;

  const incoming = incomingFromMessage(ctx.logger, message);
  const replyTo: MessageRef | undefined =
    repliedToBot && message.reference?.messageId
      ? messageRef(message.reference.channelId ?? message.channelId, message.reference.messageId)
      : undefined;
  const channel = message.channel;
  try {
    if (channel.isSendable()) void channel.sendTyping().catch(() => undefined);
    // A file on a '/command' message goes with the command (e.g. /import with an export file).
    const file = text.startsWith('/') ? message.attachments.first() : undefined;
    const download = file ? await downloadAttachment(file) : undefined;
    if (download && !download.ok) {
      if (channel.isSendable()) await channelTarget(channel, message).send(note(downloadProblem(await ctx.translator(incoming), download.reason)));
      return;
    }
    const replies = await ctx.frontDoor.text(incoming, text, {
      addressed,
      ...(replyTo ? { replyTo } : {}),
      ...(download ? { attachment: download.attachment } : {}),
    });
    if (!replies?.length || !channel.isSendable()) return;
    await deliverReplies(ctx, incoming, await ctx.translator(incoming), channelTarget(channel, message), replies);
  } catch (error) {
    incoming.log.error({ error: describeError(error) }, 'discord: message handling failed');
    // The learner who spoke to the bot hears that it failed (as with slash commands), never silence.
    if (!addressed || !channel.isSendable()) return;
    try {
      await channelTarget(channel, message).send(note((await ctx.translator(incoming))('discord.genericError')));
    } catch (notifyError) {
      incoming.log.warn({ error: describeError(notifyError) }, 'discord: could not report the failure');
    }
  }
}

/** Removes mentions of the bot (<@id> or <@!id>) with the spaces around them. */
export function stripMention(content: string, botId: string): string {
  return content.replace(new RegExp(`[ \\t]*<@!?${botId}>[ \\t]*`, 'g'), ' ').trim();
}

function isOwnCommand(ctx: DiscordContext, text: string): boolean {
  const name = /^\/([-_\p{L}\p{N}]{1,32})(?=\s|$)/u.exec(text)?.[1]?.toLowerCase();
  return !!name && ctx.frontDoor.commands.some((command) => command.name === name);
}
