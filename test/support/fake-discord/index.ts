// A local fake of Discord for end-to-end tests: REST under /api/v10 and a v10 JSON gateway on one port.
// Point discord.js at it with `rest: { api: fake.apiBase }`; it finds the gateway through GET /gateway/bot.
// Tests act as learners (slash commands, buttons, modals, messages, reactions) and inspect the REST calls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.ts';
import { INTERACTION_WINDOW_MS, FakeRest, type RestCall } from './rest.ts';
import { reactionChange } from './events.ts';
import { channelJson, memberJson, snowflake, userJson, type FakeChannel, type FakeInteraction, type FakeMessage, type FakeUser, type Json } from './model.ts';
import { World } from './world.ts';
import { FLAG_IS_VOICE_MESSAGE } from './voice.ts';

export { PERMISSIONS, DEFAULT_BOT_PERMISSIONS, INTENTS, type FakeUser, type FakeMessage, type FakeInteraction, type FakeChannel } from './model.ts';
export type { RestCall } from './rest.ts';
export { INTERACTION_WINDOW_MS } from './rest.ts';
export { FLAG_IS_VOICE_MESSAGE } from './voice.ts';

export interface FakeDiscordOptions {
  token?: string;
  botPermissions?: bigint;
}

type OptionValue = string | number | boolean;
export interface Upload {
  filename: string;
  data: Uint8Array | string;
  contentType?: string;
  /** The size Discord reports (defaults to the data's). */
  size?: number;
}
interface Where {
  /** Defaults to the guild's text channel. */
  channelId?: string;
  /** Send from the user's DM with the bot instead. */
  dm?: boolean;
}

export class FakeDiscord {
  readonly world: World;
  readonly token: string;
  private readonly http: Server;
  private readonly gateway: FakeGateway;
  private readonly rest: FakeRest;
  private port = 0;

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? 'fake-bot-token.secret';
    this.world = new World(options.botPermissions !== undefined ? { botPermissions: options.botPermissions } : {});
    this.http = createServer((req, res) => {
      if (req.url?.startsWith('/attachments/')) this.serveUpload(req.url, res);
      else void this.rest.handle(req, res);
    });
    this.gateway = new FakeGateway(this.http, this.world, this.token, () => this.gatewayUrl);
    this.rest = new FakeRest(this.world, this.gateway, this.token, () => this.gatewayUrl);
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.http.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.http.address() as AddressInfo).port;
    return fake;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** For `rest: { api }` / DISCORD_API_BASE_URL. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }
  get applicationId(): string {
    return this.world.applicationId;
  }
  get bot(): FakeUser {
    return this.world.bot;
  }
  get guildId(): string {
    return this.world.guildId;
  }
  get channelId(): string {
    return this.world.channelId;
  }
  /** Intents of the bot's last IDENTIFY. */
  get intents(): number | undefined {
    return this.gateway.intents;
  }
  get calls(): readonly RestCall[] {
    return this.rest.calls;
  }
  /** Every REST call Discord refused (4xx/5xx). */
  rejected(): RestCall[] {
    return this.rest.calls.filter((c) => c.status >= 400);
  }

  identified(): Promise<void> {
    return this.gateway.identified();
  }

  addUser(username: string, extra: { globalName?: string; nick?: string; bot?: boolean } = {}): FakeUser {
    return this.world.addUser({ username, global_name: extra.globalName ?? null, nick: extra.nick ?? null, bot: extra.bot ?? false });
  }

  addChannel(name: string, type = 0): FakeChannel {
    return this.world.addChannel({ id: snowflake(), type, name, guildId: this.guildId });
  }

  dmChannel(user: FakeUser): FakeChannel {
    return this.world.dmChannel(user);
  }

  /** Gives a member other permissions (e.g. ADMINISTRATOR or MANAGE_MESSAGES), as their interactions will carry. */
  setMemberPermissions(user: FakeUser, permissions: bigint): void {
    this.world.memberPermissions.set(user.id, permissions);
  }

  /** Changes the bot role's permissions and tells the gateway (as Discord does). */
  setBotPermissions(permissions: bigint): void {
    this.world.botPermissions = permissions;
    this.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: this.guildId, role: this.world.roleJson(this.world.botRoleId, 'Tutor', permissions) });
  }

  // ——— learners act ———

  /**
   * A slash command. `files` fills attachment options (uploaded to the fake CDN first). `ageMs` pretends the
   * dispatch happened that long ago (to test the 3-second rule).
   */
  slashCommand(
    input: { name: string; options?: Record<string, OptionValue>; files?: Record<string, Upload>; user: FakeUser; locale?: string; ageMs?: number } & Where,
  ): FakeInteraction {
    const command = [...this.world.guildCommands, ...this.world.globalCommands].find((c) => c.name === input.name);
    const options: Json[] = Object.entries(input.options ?? {}).map(([name, value]) => ({ name, type: optionType(value), value }));
    const attachments: Record<string, Json> = {};
    for (const [name, file] of Object.entries(input.files ?? {})) {
      const attachment = this.upload(file);
      attachments[attachment.id as string] = attachment;
      options.push({ name, type: 11, value: attachment.id });
    }
    return this.interact(2, input, {
      id: (command?.id as string | undefined) ?? snowflake(),
      name: input.name,
      type: 1,
      options,
      ...(input.files ? { resolved: { attachments } } : {}),
    });
  }

  /** Puts a file on the fake CDN; returns Discord's attachment object. `size` may claim another size than the data. */
  upload(file: Upload): Json {
    const id = snowflake();
    const data = Buffer.from(file.data);
    const contentType = file.contentType ?? 'application/octet-stream';
    this.world.uploads.set(id, { filename: file.filename, data, contentType });
    const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(file.filename)}`;
    return { id, filename: file.filename, size: file.size ?? data.length, url, proxy_url: url, content_type: contentType };
  }

  /** The learner blocked the bot (or closed DMs): DMs to them fail with 50007 from now on. */
  blockDms(user: FakeUser): void {
    this.world.blockedUsers.add(user.id);
  }

  private serveUpload(url: string, res: import('node:http').ServerResponse): void {
    const id = url.split('/')[2] ?? '';
    const file = this.world.uploads.get(id);
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.length) }).end(file.data);
  }

  autocomplete(input: { name: string; options: Record<string, OptionValue>; focused: string; user: FakeUser } & Where): FakeInteraction {
    const options = Object.entries(input.options).map(([name, value]) => ({ name, type: optionType(value), value, ...(name === input.focused ? { focused: true } : {}) }));
    return this.interact(4, input, { id: snowflake(), name: input.name, type: 1, options });
  }

  /** Presses the button with `customId` on a message the bot sent. */
  pressButton(input: { message: FakeMessage; customId: string; user: FakeUser; ageMs?: number }): FakeInteraction {
    const channel = this.world.channels.get(input.message.channelId);
    return this.interact(3, { ...input, channelId: input.message.channelId, dm: channel?.type === 1 }, { custom_id: input.customId, component_type: 2 }, input.message);
  }

  submitModal(input: { customId: string; fields: Record<string, string>; user: FakeUser; message?: FakeMessage; ageMs?: number } & Where): FakeInteraction {
    const components = Object.entries(input.fields).map(([customId, value], i) => ({
      type: 18,
      id: i * 2 + 1,
      component: { type: 4, id: i * 2 + 2, custom_id: customId, value },
    }));
    const where = input.message ? { channelId: input.message.channelId } : input;
    return this.interact(5, { ...input, ...where }, { custom_id: input.customId, components }, input.message);
  }

  /** A learner's message. Mentioning the bot (or replying to it, with the default ping) is what Discord counts as a mention. */
  sendMessage(input: { author: FakeUser; content: string; mentionBot?: boolean; replyTo?: FakeMessage; replyPing?: boolean; files?: Upload[] } & Where): FakeMessage {
    const channelId = this.channelFor(input.author, input);
    const mentions: FakeUser[] = [];
    const content = input.mentionBot ? `<@${this.bot.id}> ${input.content}` : input.content;
    if (content.includes(`<@${this.bot.id}>`)) mentions.push(this.bot);
    if (input.replyTo && input.replyPing !== false && !mentions.some((m) => m.id === input.replyTo!.author.id)) mentions.push(input.replyTo.author);
    const guildId = this.world.guildOf(channelId);
    const message = this.world.createMessage({
      channelId,
      author: input.author,
      content,
      mentions,
      type: input.replyTo ? 19 : 0,
      attachments: (input.files ?? []).map((file) => this.upload(file)),
      ...(input.replyTo ? { reference: { message_id: input.replyTo.id, channel_id: input.replyTo.channelId, ...(guildId ? { guild_id: guildId } : {}) } } : {}),
    });
    this.rest.events.dispatchMessage('MESSAGE_CREATE', message);
    return message;
  }

  /**
   * A learner records a voice message (Ogg Opus bytes), as the Discord apps send it: flag IS_VOICE_MESSAGE, no
   * content, one audio/ogg attachment "voice-message.ogg" with duration_secs and a waveform. `size` may claim
   * another size than the data's.
   */
  sendVoiceMessage(input: { author: FakeUser; data: Uint8Array; durationSecs: number; size?: number; replyTo?: FakeMessage } & Where): FakeMessage {
    const channelId = this.channelFor(input.author, input);
    const guildId = this.world.guildOf(channelId);
    const attachment = this.upload({ filename: 'voice-message.ogg', data: input.data, contentType: 'audio/ogg', ...(input.size !== undefined ? { size: input.size } : {}) });
    const samples = Math.max(1, Math.min(256, Math.round(input.durationSecs * 10)));
    const message = this.world.createMessage({
      channelId,
      author: input.author,
      content: '',
      flags: FLAG_IS_VOICE_MESSAGE,
      type: input.replyTo ? 19 : 0,
      mentions: input.replyTo ? [input.replyTo.author] : [],
      attachments: [{ ...attachment, duration_secs: input.durationSecs, waveform: Buffer.alloc(samples, 128).toString('base64') }],
      ...(input.replyTo ? { reference: { message_id: input.replyTo.id, channel_id: input.replyTo.channelId, ...(guildId ? { guild_id: guildId } : {}) } } : {}),
    });
    this.rest.events.dispatchMessage('MESSAGE_CREATE', message);
    return message;
  }

  react(input: { user: FakeUser; message: FakeMessage; emoji: string }): void {
    if (reactionChange(input.message, input.emoji, input.user.id, true)) this.rest.events.dispatchReaction(true, input.message, input.user.id, input.emoji);
  }

  unreact(input: { user: FakeUser; message: FakeMessage; emoji: string }): void {
    if (reactionChange(input.message, input.emoji, input.user.id, false)) this.rest.events.dispatchReaction(false, input.message, input.user.id, input.emoji);
  }

  /** Someone deleted the message (the bot is not told until it touches it). */
  deleteMessage(message: FakeMessage): void {
    message.deleted = true;
  }

  // ——— inspection ———

  interaction(id: string): FakeInteraction {
    const interaction = this.world.interactions.get(id);
    if (!interaction) throw new Error(`no interaction ${id}`);
    return interaction;
  }

  /** Whether the interaction got its first callback within Discord's 3 seconds. */
  acknowledgedInTime(id: string): boolean {
    const i = this.interaction(id);
    return i.acknowledgedAt !== undefined && i.acknowledgedAt - i.dispatchedAt <= INTERACTION_WINDOW_MS;
  }

  /** Messages in a channel, oldest first (deleted ones left out; ephemeral ones included). */
  messagesIn(channelId: string = this.channelId): FakeMessage[] {
    return [...this.world.messages.values()].filter((m) => m.channelId === channelId && !m.deleted);
  }

  botMessagesIn(channelId: string = this.channelId): FakeMessage[] {
    return this.messagesIn(channelId).filter((m) => m.author.id === this.bot.id && !m.loading);
  }

  message(id: string): FakeMessage | undefined {
    return this.world.messages.get(id);
  }

  threads(): FakeChannel[] {
    return [...this.world.channels.values()].filter((c) => c.type === 11);
  }

  /** Polls `probe` until it returns something truthy. */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  waitForCall(method: string, path: RegExp, timeoutMs = 5_000, since = 0): Promise<RestCall> {
    return this.waitFor(() => this.rest.calls.slice(since).find((c) => c.method === method && path.test(c.path)), timeoutMs, `${method} ${path}`);
  }

  // ——— internals ———

  private channelFor(user: FakeUser, where: Where): string {
    return where.dm ? this.world.dmChannel(user).id : (where.channelId ?? this.channelId);
  }

  private interact(type: number, input: { user: FakeUser; locale?: string; ageMs?: number } & Where, data: Json, message?: FakeMessage): FakeInteraction {
    const channelId = this.channelFor(input.user, input);
    const channel = this.world.channels.get(channelId)!;
    const guildId = this.world.guildOf(channelId);
    const id = snowflake();
    const token = `itoken-${id}-${Math.random().toString(36).slice(2)}`;
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type,
      data: { ...data, ...(guildId && type !== 3 && type !== 5 ? { guild_id: guildId } : {}) },
      channel_id: channelId,
      channel: channelJson(channel),
      token,
      version: 1,
      locale: input.locale ?? 'en-US',
      app_permissions: String(this.world.botPermissions),
      entitlements: [],
      authorizing_integration_owners: { '0': guildId ?? this.applicationId },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(guildId
        ? { guild_id: guildId, guild: { id: guildId, locale: 'en-US', features: [] }, guild_locale: 'en-US', member: { ...memberJson(input.user), permissions: String(this.world.memberPermissions.get(input.user.id) ?? 2248473465835073n) } }
        : { user: userJson(input.user) }),
      ...(message ? { message: this.world.messageJson(message) } : {}),
    };
    const interaction: FakeInteraction = {
      id,
      token,
      type,
      payload,
      dispatchedAt: Date.now() - (input.ageMs ?? 0),
      lateCallbacks: 0,
      channelId,
      followUps: [],
      ...(message ? { sourceMessageId: message.id } : {}),
    };
    this.world.interactions.set(id, interaction);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return interaction;
  }
}

function optionType(value: OptionValue): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}
