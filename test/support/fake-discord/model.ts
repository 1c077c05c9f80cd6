// The fake's world: one application and bot, one guild with a text channel, learners, DM channels,
// messages with reactions, threads and pending interactions. JSON builders produce API v10 shapes.

export type Json = Record<string, unknown>;

export const PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  ADD_REACTIONS: 1n << 6n,
  MANAGE_MESSAGES: 1n << 13n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  MANAGE_THREADS: 1n << 34n,
  CREATE_PUBLIC_THREADS: 1n << 35n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
  SEND_VOICE_MESSAGES: 1n << 46n,
} as const;

/** What a typical bot invite grants: everything the tutor needs, Create Public Threads included. */
export const DEFAULT_BOT_PERMISSIONS =
  PERMISSIONS.ADD_REACTIONS |
  PERMISSIONS.VIEW_CHANNEL |
  PERMISSIONS.SEND_MESSAGES |
  PERMISSIONS.EMBED_LINKS |
  PERMISSIONS.ATTACH_FILES |
  PERMISSIONS.READ_MESSAGE_HISTORY |
  PERMISSIONS.USE_APPLICATION_COMMANDS |
  PERMISSIONS.CREATE_PUBLIC_THREADS |
  PERMISSIONS.SEND_MESSAGES_IN_THREADS |
  PERMISSIONS.SEND_VOICE_MESSAGES;

export const INTENTS = {
  GUILDS: 1 << 0,
  GUILD_MESSAGES: 1 << 9,
  GUILD_MESSAGE_REACTIONS: 1 << 10,
  DIRECT_MESSAGES: 1 << 12,
  DIRECT_MESSAGE_REACTIONS: 1 << 13,
  MESSAGE_CONTENT: 1 << 15,
} as const;

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment);
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot: boolean;
  /** Guild nickname. */
  nick?: string | null;
}

export interface FakeChannel {
  id: string;
  /** 0 text, 1 DM, 5 announcement, 11 public thread. */
  type: number;
  name?: string;
  guildId?: string;
  parentId?: string;
  ownerId?: string;
  recipient?: FakeUser;
  archived?: boolean;
  locked?: boolean;
  autoArchiveDuration?: number;
}

export interface FakeReaction {
  emoji: string;
  /** User ids in the order they reacted. */
  users: string[];
}

export interface FakeMessage {
  id: string;
  channelId: string;
  author: FakeUser;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: Json[];
  flags: number;
  type: number;
  mentions: FakeUser[];
  reference?: { message_id: string; channel_id: string; guild_id?: string };
  reactions: FakeReaction[];
  ephemeral: boolean;
  deleted: boolean;
  /** A deferred interaction response still showing "thinking…". */
  loading: boolean;
  webhookId?: string;
  interactionId?: string;
  threadId?: string;
  editedAt?: string;
  createdAt: string;
}

export interface FakeInteraction {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  payload: Json;
  /** When the gateway dispatched it (ms since epoch). */
  dispatchedAt: number;
  acknowledgedAt?: number;
  /** The callback type that acknowledged it (4, 5, 6, 7, 8, 9). */
  ackType?: number;
  /** Callbacks that arrived after the 3-second window (answered with 10062). */
  lateCallbacks: number;
  originalMessageId?: string;
  /** For component interactions: the message that carried the component. */
  sourceMessageId?: string;
  channelId: string;
  modal?: Json;
  autocompleteChoices?: Json[];
  followUps: string[];
}

export function userJson(user: FakeUser): Json {
  return {
    id: user.id,
    username: user.username,
    global_name: user.global_name,
    discriminator: '0',
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
    flags: 0,
  };
}

export function memberJson(user: FakeUser, roles: string[] = [], withUser = true): Json {
  return {
    ...(withUser ? { user: userJson(user) } : {}),
    nick: user.nick ?? null,
    avatar: null,
    roles,
    joined_at: '2026-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function channelJson(channel: FakeChannel): Json {
  const base: Json = { id: channel.id, type: channel.type, flags: 0 };
  if (channel.type === 1) {
    return { ...base, recipients: channel.recipient ? [userJson(channel.recipient)] : [], last_message_id: null };
  }
  const guildPart = { guild_id: channel.guildId, name: channel.name, position: 0, permission_overwrites: [], nsfw: false, rate_limit_per_user: 0 };
  if (channel.type === 11) {
    return {
      ...base,
      ...guildPart,
      parent_id: channel.parentId,
      owner_id: channel.ownerId,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: !!channel.archived,
        locked: !!channel.locked,
        auto_archive_duration: channel.autoArchiveDuration ?? 1440,
        archive_timestamp: new Date().toISOString(),
      },
    };
  }
  return { ...base, ...guildPart, parent_id: null, topic: null, last_message_id: null };
}

export function messageJson(message: FakeMessage, where: { guildId?: string; botId: string }, referenced?: FakeMessage): Json {
  const guildId = where.guildId;
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author: userJson(message.author),
    content: message.content,
    timestamp: message.createdAt,
    edited_timestamp: message.editedAt ?? null,
    tts: false,
    mention_everyone: false,
    mentions: message.mentions.map(userJson),
    mention_roles: [],
    attachments: message.attachments,
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    type: message.type,
    flags: message.flags,
    ...(message.reactions.length
      ? {
          reactions: message.reactions.map((r) => ({
            emoji: { id: null, name: r.emoji },
            count: r.users.length,
            count_details: { burst: 0, normal: r.users.length },
            me: r.users.includes(where.botId),
            me_burst: false,
            burst_colors: [],
          })),
        }
      : {}),
    ...(message.reference ? { message_reference: { type: 0, ...message.reference } } : {}),
    ...(referenced ? { referenced_message: messageJson(referenced, where) } : {}),
    ...(message.webhookId ? { webhook_id: message.webhookId, application_id: message.webhookId } : {}),
  };
}
