// Maps Discord users, members and channels to the neutral UserRef / ConversationRef, with a child logger.
import { PermissionFlagsBits, type GuildMember, type Interaction, type Message, type PartialUser, type User, type APIInteractionGuildMember } from 'discord.js';
import type { Incoming } from '../../commands/front-door.ts';
import type { ConversationRef, MessageRef, UserRef } from '../../core/types.ts';
import type { Logger } from '../../logger.ts';

type AnyMember = GuildMember | APIInteractionGuildMember | null | undefined;

export function userRef(user: User | PartialUser, member?: AnyMember, locale?: string): UserRef {
  const nickname = member ? ('nickname' in member ? member.nickname : member.nick) : undefined;
  const username = user.username ?? undefined;
  return {
    platform: 'discord',
    externalId: user.id,
    displayName: nickname || user.globalName || username || user.id,
    ...(username ? { username } : {}),
    ...(locale ? { locale } : {}),
  };
}

/** A thread is a channel on Discord: its id is the chatId and threadId stays unset. */
export function conversationRef(channelId: string, guildId: string | null | undefined): ConversationRef {
  return { platform: 'discord', chatId: channelId, isGroup: !!guildId };
}

export function messageRef(channelId: string, messageId: string): MessageRef {
  return { platform: 'discord', chatId: channelId, messageId };
}

/** Never binds message texts or tokens: only ids and the command/event name. */
export function incomingFrom(
  logger: Logger,
  parts: { user: UserRef; channelId: string; guildId: string | null | undefined; event: string },
): Incoming {
  const conversation = conversationRef(parts.channelId, parts.guildId);
  // The adapter's logger already carries platform: 'discord'.
  const log = logger.child({
    chat: parts.channelId,
    ...(parts.guildId ? { guild: parts.guildId } : {}),
    user: parts.user.externalId,
    event: parts.event,
  });
  return { user: parts.user, conversation, log };
}

export function incomingFromInteraction(logger: Logger, interaction: Interaction, event: string): Incoming {
  const incoming = incomingFrom(logger, {
    user: userRef(interaction.user, interaction.member, interaction.locale),
    channelId: interaction.channelId ?? interaction.user.id,
    guildId: interaction.guildId,
    event,
  });
  // A chat admin on Discord: a member who may manage messages in this channel (Administrator implies it).
  const permissions = interaction.memberPermissions;
  return permissions ? { ...incoming, isChatAdmin: async () => permissions.has(PermissionFlagsBits.ManageMessages) } : incoming;
}

export function incomingFromMessage(logger: Logger, message: Message): Incoming {
  return incomingFrom(logger, {
    user: userRef(message.author, message.member),
    channelId: message.channelId,
    guildId: message.guildId,
    event: 'message',
  });
}
