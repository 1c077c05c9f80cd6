// The fake's mutable state and the rules that depend on it (permissions, who sees what).
import {
  DEFAULT_BOT_PERMISSIONS,
  PERMISSIONS,
  channelJson,
  memberJson,
  messageJson,
  snowflake,
  type FakeChannel,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  type Json,
} from './model.ts';

export class World {
  readonly applicationId = snowflake();
  readonly bot: FakeUser = { id: this.applicationId, username: 'Tutor', global_name: null, bot: true };
  readonly guildId = snowflake();
  readonly botRoleId = snowflake();
  readonly users = new Map<string, FakeUser>([[this.bot.id, this.bot]]);
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly globalCommands: Json[] = [];
  readonly guildCommands: Json[] = [];
  /** Files learners uploaded, served at /attachments/{id}/{filename} like Discord's CDN. */
  readonly uploads = new Map<string, { filename: string; data: Buffer; contentType: string }>();
  /** Users who blocked the bot (or closed DMs): DMs to them fail with 50007. */
  readonly blockedUsers = new Set<string>();
  /** A member's permissions in the guild (interaction member.permissions); unset: an ordinary member's. */
  readonly memberPermissions = new Map<string, bigint>();
  botPermissions: bigint;
  /** Minimum time between two edits of one interaction message (streamed progress tests); 0: not checked. */
  editIntervalMs = 0;
  /** The text channel learners use. */
  readonly channelId: string;

  constructor(options: { botPermissions?: bigint } = {}) {
    this.botPermissions = options.botPermissions ?? DEFAULT_BOT_PERMISSIONS;
    this.channelId = this.addChannel({ id: snowflake(), type: 0, name: 'general', guildId: this.guildId }).id;
  }

  addChannel(channel: FakeChannel): FakeChannel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  addUser(user: Omit<FakeUser, 'id' | 'bot'> & { bot?: boolean }): FakeUser {
    const created: FakeUser = { id: snowflake(), bot: false, ...user };
    this.users.set(created.id, created);
    return created;
  }

  dmChannel(user: FakeUser): FakeChannel {
    for (const channel of this.channels.values()) if (channel.type === 1 && channel.recipient?.id === user.id) return channel;
    return this.addChannel({ id: snowflake(), type: 1, recipient: user });
  }

  /** The guild of a channel (threads belong to their parent's guild); undefined for DMs. */
  guildOf(channelId: string): string | undefined {
    return this.channels.get(channelId)?.guildId;
  }

  botCan(permission: bigint): boolean {
    return (this.botPermissions & PERMISSIONS.ADMINISTRATOR) !== 0n || (this.botPermissions & permission) === permission;
  }

  /** Voice messages need Send Voice Messages in guild channels; DMs always allow them. */
  canSendVoice(channelId: string): boolean {
    return this.channels.get(channelId)?.type === 1 || this.botCan(PERMISSIONS.SEND_VOICE_MESSAGES);
  }

  /** Messages as channel routes see them: ephemeral and deleted ones do not exist there. */
  visibleMessage(channelId: string, messageId: string): FakeMessage | undefined {
    const message = this.messages.get(messageId);
    return message && message.channelId === channelId && !message.deleted && !message.ephemeral ? message : undefined;
  }

  createMessage(fields: Partial<FakeMessage> & Pick<FakeMessage, 'channelId' | 'author'>): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      type: 0,
      mentions: [],
      reactions: [],
      ephemeral: false,
      deleted: false,
      loading: false,
      createdAt: new Date().toISOString(),
      ...fields,
    };
    this.messages.set(message.id, message);
    return message;
  }

  messageJson(message: FakeMessage): Json {
    const referenced = message.reference ? this.messages.get(message.reference.message_id) : undefined;
    const guildId = this.guildOf(message.channelId);
    const json = messageJson(message, { ...(guildId ? { guildId } : {}), botId: this.bot.id }, referenced && !referenced.deleted ? referenced : undefined);
    const thread = message.threadId ? this.channels.get(message.threadId) : undefined;
    return thread ? { ...json, thread: channelJson(thread) } : json;
  }

  guildCreateJson(): Json {
    const channels = [...this.channels.values()].filter((c) => c.guildId === this.guildId && c.type !== 11 && c.type !== 1);
    const threads = [...this.channels.values()].filter((c) => c.guildId === this.guildId && c.type === 11 && !c.archived);
    return {
      id: this.guildId,
      name: 'Language Learners',
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      features: [],
      roles: [this.roleJson(this.guildId, '@everyone', 0n), this.roleJson(this.botRoleId, 'Tutor', this.botPermissions)],
      emojis: [],
      stickers: [],
      joined_at: '2026-01-01T00:00:00.000Z',
      large: false,
      unavailable: false,
      member_count: this.users.size,
      voice_states: [],
      members: [memberJson(this.bot, [this.botRoleId])],
      channels: channels.map(channelJson),
      threads: threads.map(channelJson),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      max_members: 500000,
      max_video_channel_users: 25,
      hub_type: null,
    };
  }

  roleJson(id: string, name: string, permissions: bigint): Json {
    return {
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: id === this.guildId ? 0 : 1,
      permissions: String(permissions),
      managed: id !== this.guildId,
      mentionable: false,
      flags: 0,
    };
  }
}
