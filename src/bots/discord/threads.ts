// Simulations get their own thread, started from the scenario message. Where that is impossible (DMs,
// inside a thread, missing Create Public Threads permission) the learners are told why and the role-play
// continues in the channel: they reply to the bot's message or mention it.
import { ChannelType, Routes, ThreadAutoArchiveDuration, type Message } from 'discord.js';
import type { Translator } from '../../core/i18n/index.ts';
import type { DiscordContext } from './context.ts';
import type { DeliveryScope } from './deliver.ts';
import { describeError, isMissingPermission } from './errors.ts';
import { note, type ReplyTarget } from './targets.ts';
import { truncate } from './text.ts';
import type { SentMessage } from './webhook-messages.ts';

export async function openSimulationThread(
  ctx: DiscordContext,
  scope: DeliveryScope,
  t: Translator,
  target: ReplyTarget,
  message: SentMessage,
  open: { name: string; simulationSessionId: number },
): Promise<void> {
  const log = scope.log.child({ simulationSessionId: open.simulationSessionId });
  if (!scope.conversation.isGroup) {
    await target.send(note(t('discord.thread.unavailableInDm')));
    return;
  }
  // Threads start only from a visible message in a server's text or announcement channel (not inside a thread).
  const channel = ctx.client.channels.cache.get(message.channelId);
  if (message.ephemeral || (channel?.type !== ChannelType.GuildText && channel?.type !== ChannelType.GuildAnnouncement)) {
    await target.send(note(t('discord.thread.unavailableHere')));
    return;
  }
  let threadId: string;
  try {
    const thread = await channel.threads.create({
      name: threadName(open.name, t),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      startMessage: message.id,
    });
    threadId = thread.id;
  } catch (error) {
    log.warn({ error: describeError(error) }, 'discord: could not open a simulation thread');
    await target.send(note(t(fallbackKey(error))));
    return;
  }
  ctx.simulationThreads.add(threadId);
  try {
    await ctx.frontDoor.threadOpened(open.simulationSessionId, { platform: 'discord', chatId: threadId, isGroup: true });
  } catch (error) {
    log.error({ error: describeError(error) }, 'discord: threadOpened failed');
  }
  const text = ctx.messageContentIntent
    ? t('discord.thread.note')
    : // Without the MessageContent intent the bot reads only messages that mention it.
      t('discord.thread.noteMention', { mention: `<@${ctx.client.user.id}>` });
  try {
    await ctx.client.rest.post(Routes.channelMessages(threadId), { body: { content: note(text).content, allowed_mentions: { parse: [] } } });
  } catch (error) {
    log.warn({ error: describeError(error) }, 'discord: could not post the thread note');
  }
}

function fallbackKey(error: unknown) {
  if (isMissingPermission(error)) return 'discord.thread.missingPermission' as const;
  return 'discord.thread.failed' as const;
}

/** Thread names must be 1–100 characters. */
export function threadName(name: string, t: Translator): string {
  return truncate(name.replace(/\s+/g, ' ').trim() || t('discord.thread.defaultName'), 100);
}

/** Archives the conversation's channel if it is a thread (the end of a simulation); failures are ignored. */
export async function closeThreadIfAny(ctx: DiscordContext, scope: DeliveryScope): Promise<void> {
  const channelId = scope.conversation.chatId;
  const cached = ctx.client.channels.cache.get(channelId);
  if (!ctx.simulationThreads.has(channelId) && !cached?.isThread()) return;
  ctx.simulationThreads.delete(channelId);
  try {
    await ctx.client.rest.patch(Routes.channel(channelId), { body: { archived: true } });
  } catch (error) {
    scope.log.debug({ error: describeError(error) }, 'discord: could not archive the thread');
  }
}

/** A thread the bot opened for a simulation: every message there is meant for the bot. */
export function isSimulationThread(ctx: DiscordContext, message: Message): boolean {
  if (ctx.simulationThreads.has(message.channelId)) return true;
  const channel = message.channel;
  return !!channel && channel.isThread() && channel.ownerId === ctx.client.user.id;
}
