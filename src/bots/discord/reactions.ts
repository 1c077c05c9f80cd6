// Ratings by keycap reactions: besides the rating row of buttons under a rateable message, a learner's 1️⃣–5️⃣
// reaction (or its removal) becomes frontDoor.reaction(). The bot's own reactions, and other bots', are ignored.
// Everything past the event works from ids through REST, so uncached (partial) messages work the same.
import {
  Routes,
  makeURLSearchParams,
  type APIMessage,
  type APIUser,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
  type GuildMember,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import type { DiscordContext } from './context.ts';
import { deliverReplies } from './deliver.ts';
import { describeError, isUnknownMessage } from './errors.ts';
import { incomingFrom, messageRef, userRef } from './incoming.ts';
import { ratingFromEmoji } from './rating-emojis.ts';
import { channelTarget } from './targets.ts';

export interface ReactionEvent {
  added: boolean;
  emoji: string | null;
  userId: string;
  channelId: string;
  messageId: string;
  guildId: string | null;
  user?: User | PartialUser;
  member?: GuildMember | null;
}

/** From discord.js's messageReactionAdd/Remove (partials included). */
export function reactionEvent(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, added: boolean): ReactionEvent {
  const message = reaction.message;
  return {
    added,
    emoji: reaction.emoji.name,
    userId: user.id,
    channelId: message.channelId,
    messageId: message.id,
    guildId: message.guildId,
    user,
    member: message.guild?.members.cache.get(user.id) ?? null,
  };
}

/**
 * discord.js drops a DM reaction when the DM channel is not cached (after a restart), even with
 * Partials.Channel: the event lacks the channel type. Such packets are taken from the raw gateway stream.
 */
export function uncachedDmReaction(ctx: DiscordContext, packet: { t?: string | null; d?: unknown }): ReactionEvent | undefined {
  if (packet.t !== 'MESSAGE_REACTION_ADD' && packet.t !== 'MESSAGE_REACTION_REMOVE') return undefined;
  const d = packet.d as GatewayMessageReactionAddDispatchData | GatewayMessageReactionRemoveDispatchData;
  if (d.guild_id || ctx.client.channels.cache.has(d.channel_id)) return undefined;
  return {
    added: packet.t === 'MESSAGE_REACTION_ADD',
    emoji: d.emoji.name ?? null,
    userId: d.user_id,
    channelId: d.channel_id,
    messageId: d.message_id,
    guildId: null,
  };
}

export function handleReaction(ctx: DiscordContext, event: ReactionEvent): Promise<void> {
  const rating = ratingFromEmoji(event.emoji);
  if (rating === undefined || event.userId === ctx.client.user.id) return Promise.resolve();
  // Add and remove of one learner on one message must reach the front door in order.
  return ctx.serialize(`${event.messageId}:${event.userId}`, () => rate(ctx, event, rating));
}

async function rate(ctx: DiscordContext, event: ReactionEvent, rating: number): Promise<void> {
  const user = event.user && !event.user.partial ? event.user : await ctx.client.users.fetch(event.userId).catch(() => event.user);
  if (!user || user.bot) return;
  const incoming = incomingFrom(ctx.logger, {
    user: userRef(user, event.member),
    channelId: event.channelId,
    guildId: event.guildId,
    event: event.added ? 'reaction-add' : 'reaction-remove',
  });
  try {
    const value = event.added ? rating : await remainingRating(ctx, event);
    const replies = await ctx.frontDoor.reaction(incoming, messageRef(event.channelId, event.messageId), value);
    if (!replies.length) return;
    const channel = ctx.client.channels.cache.get(event.channelId) ?? (await ctx.client.channels.fetch(event.channelId));
    if (!channel?.isSendable()) return;
    await deliverReplies(ctx, incoming, await ctx.translator(incoming), channelTarget(channel), replies);
  } catch (error) {
    incoming.log.error({ error: describeError(error) }, 'discord: rating by reaction failed');
  }
}

/**
 * After a learner removed a keycap, the rating is the one they still have on the message (the highest, if
 * several), or null. Read fresh from Discord: the cache may be partial or stale.
 */
async function remainingRating(ctx: DiscordContext, event: ReactionEvent): Promise<number | null> {
  let message: APIMessage;
  try {
    message = (await ctx.client.rest.get(Routes.channelMessage(event.channelId, event.messageId))) as APIMessage;
  } catch (error) {
    if (isUnknownMessage(error)) return null;
    throw error;
  }
  const candidates = (message.reactions ?? [])
    .map((reaction) => ({ reaction, rating: ratingFromEmoji(reaction.emoji.name) }))
    .filter((c): c is { reaction: (typeof c)['reaction']; rating: number } => c.rating !== undefined && c.reaction.emoji.name !== event.emoji)
    .filter(({ reaction }) => reaction.count > (reaction.me ? 1 : 0))
    .sort((a, b) => b.rating - a.rating);
  for (const { reaction, rating } of candidates) {
    if (await hasReacted(ctx, event, reaction.emoji.name!, event.userId)) return rating;
  }
  return null;
}

async function hasReacted(ctx: DiscordContext, event: ReactionEvent, emoji: string, userId: string): Promise<boolean> {
  const route = Routes.channelMessageReaction(event.channelId, event.messageId, encodeURIComponent(emoji));
  let after: string | undefined;
  for (;;) {
    const page = (await ctx.client.rest.get(route, { query: makeURLSearchParams({ limit: 100, ...(after ? { after } : {}) }) })) as APIUser[];
    if (page.some((user) => user.id === userId)) return true;
    if (page.length < 100) return false;
    after = page[page.length - 1]!.id;
  }
}
