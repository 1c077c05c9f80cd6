// What REST changes tell the gateway, shaped like Discord's dispatches.
import { fail } from './http.ts';
import { memberJson, type FakeMessage, type Json } from './model.ts';
import type { FakeGateway } from './gateway.ts';
import type { World } from './world.ts';

export class GatewayEvents {
  constructor(
    readonly world: World,
    private readonly gateway: FakeGateway,
  ) {}

  dispatch(event: string, data: Json): void {
    this.gateway.dispatch(event, data);
  }

  guildField(channelId: string): { guild_id?: string } {
    const guildId = this.world.guildOf(channelId);
    return guildId ? { guild_id: guildId } : {};
  }

  dispatchMessage(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: FakeMessage): void {
    const json = this.world.messageJson(message);
    const guild = this.guildField(message.channelId);
    // Discord adds channel_type to MESSAGE_CREATE; discord.js needs it for DMs it has not cached.
    const channelType = this.world.channels.get(message.channelId)?.type;
    this.dispatch(event, {
      ...json,
      ...guild,
      ...(event === 'MESSAGE_CREATE' && channelType !== undefined ? { channel_type: channelType } : {}),
      ...(guild.guild_id ? { member: memberJson(message.author, [], false) } : {}),
    });
  }

  dispatchReaction(add: boolean, message: FakeMessage, userId: string, emoji: string): void {
    const user = this.world.users.get(userId)!;
    const guild = this.guildField(message.channelId);
    this.dispatch(add ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', {
      user_id: userId,
      channel_id: message.channelId,
      message_id: message.id,
      emoji: { id: null, name: emoji },
      burst: false,
      type: 0,
      ...guild,
      ...(add && guild.guild_id ? { member: memberJson(user), message_author_id: message.author.id, burst_colors: [] } : {}),
    });
  }
}

/** Adds or removes one user's reaction; false when nothing changed (Discord then sends no event). */
export function reactionChange(message: FakeMessage, emoji: string, userId: string, add: boolean): boolean {
  let reaction = message.reactions.find((r) => r.emoji === emoji);
  if (add) {
    if (reaction?.users.includes(userId)) return false;
    if (!reaction) {
      if (message.reactions.length >= 20) fail(400, 30010, 'Maximum number of reactions reached (20)');
      reaction = { emoji, users: [] };
      message.reactions.push(reaction);
    }
    reaction.users.push(userId);
    return true;
  }
  if (!reaction?.users.includes(userId)) return false;
  reaction.users = reaction.users.filter((id) => id !== userId);
  if (!reaction.users.length) message.reactions = message.reactions.filter((r) => r !== reaction);
  return true;
}
