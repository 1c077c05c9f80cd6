// Ordinary messages. In DMs and in the bot's simulation threads every message is for the bot; in guild
// channels only those that mention it or reply to it. Text starting with '/' always reaches the front door,
// which runs it as a text command (like the terminal).
import { MessageType, type Attachment, type Message } from 'discord.js';
import type { MessageRef, Reply } from '../../core/types.ts';
import { startMessageProgress } from './progress.ts';
import type { DiscordContext } from './context.ts';
import { deliverReplies } from './deliver.ts';
import { describeError } from './errors.ts';
import { incomingFromMessage, messageRef } from './incoming.ts';
import { downloadAttachment, downloadProblem } from './attachments.ts';
import { channelTarget, note } from './targets.ts';
import { isSimulationThread } from './threads.ts';
import { DISCORD_VOICE_DOWNLOAD_LIMIT_BYTES, toIncomingVoice, voiceAttachment, voiceDownloadable } from './voice-in.ts';

export async function handleMessage(ctx: DiscordContext, message: Message): Promise<void> {
  const botId = ctx.client.user.id;
  if (message.author.bot || message.author.id === botId || message.webhookId) return;
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return;

  const mentioned = message.mentions.users.has(botId);
  const repliedToBot = message.mentions.repliedUser?.id === botId;
  const voice = voiceAttachment(message);
  if (voice) return handleVoiceMessage(ctx, message, voice, !message.guildId || mentioned || repliedToBot || isSimulationThread(ctx, message));
  // Without the MessageContent intent, unaddressed guild messages arrive empty: nothing to do with them.
  const text = stripMention(message.content, botId);
  if (!text) return;
  const addressed = !message.guildId || mentioned || repliedToBot || isSimulationThread(ctx, message);
  // Unaddressed '/text' in a server may be meant for another bot: only this bot's command names count.
  if (!addressed && !isOwnCommand(ctx, text)) return;

  const base = incomingFromMessage(ctx.logger, message);
  const replyTo: MessageRef | undefined =
    repliedToBot && message.reference?.messageId
      ? messageRef(message.reference.channelId ?? message.channelId, message.reference.messageId)
      : undefined;
  const channel = message.channel;
  // A slow answer (a role-play line) shows while it is written, in a reply the final answer then replaces.
  const progress = addressed && channel.isSendable() ? startMessageProgress(message, () => ctx.translator(base), base.log) : undefined;
  const incoming = progress ? { ...base, progress: (view: Reply) => progress.show(view) } : base;
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
    await progress?.finish();
    if (!replies?.length || !channel.isSendable()) return;
    await deliverReplies(ctx, incoming, await ctx.translator(incoming), channelTarget(channel, message, progress?.message()), replies);
  } catch (error) {
    incoming.log.error({ error: describeError(error) }, 'discord: message handling failed');
    // A half-written answer must not stay on screen as if it were the answer.
    await progress?.finish();
    await progress?.message()?.delete().catch(() => undefined);
    // The learner who spoke to the bot hears that it failed (as with slash commands), never silence.
    if (!addressed || !channel.isSendable()) return;
    try {
      await channelTarget(channel, message).send(note((await ctx.translator(incoming))('discord.genericError')));
    } catch (notifyError) {
      incoming.log.warn({ error: describeError(notifyError) }, 'discord: could not report the failure');
    }
  }
}

/**
 * A voice message: the learner's turn in a role-play, transcribed by the core. Refused before any download when
 * it is larger than the bot ever fetches; unaddressed ones in servers are left alone (they cannot mention).
 */
async function handleVoiceMessage(ctx: DiscordContext, message: Message, file: Attachment, addressed: boolean): Promise<void> {
  const botId = ctx.client.user.id;
  const incoming = incomingFromMessage(ctx.logger, message);
  incoming.log.info({ seconds: file.duration, bytes: file.size, addressed }, 'discord: voice message');
  const channel = message.channel;
  const replyTo: MessageRef | undefined =
    message.mentions.repliedUser?.id === botId && message.reference?.messageId
      ? messageRef(message.reference.channelId ?? message.channelId, message.reference.messageId)
      : undefined;
  try {
    if (!voiceDownloadable(file)) {
      if (addressed && channel.isSendable()) {
        const t = await ctx.translator(incoming);
        await channelTarget(channel, message).send(note(t('voice.tooLarge', { max: DISCORD_VOICE_DOWNLOAD_LIMIT_BYTES / 1024 / 1024 })));
      }
      return;
    }
    if (addressed && channel.isSendable()) void channel.sendTyping().catch(() => undefined);
    const replies = await ctx.frontDoor.voice({ ...incoming, voice: toIncomingVoice(file) }, { addressed, ...(replyTo ? { replyTo } : {}) });
    if (!replies?.length || !channel.isSendable()) return;
    await deliverReplies(ctx, incoming, await ctx.translator(incoming), channelTarget(channel, message), replies);
  } catch (error) {
    incoming.log.error({ error: describeError(error) }, 'discord: voice message handling failed');
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
