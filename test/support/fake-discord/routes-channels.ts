// Fake routes for channels: messages, reactions, threads, with Discord's permission checks.
import { validateMessageBody, type FieldError } from './limits.ts';
import { fail, invalid, messageFields, noContent, ok, route, type Request, type Route } from './http.ts';
import { PERMISSIONS, channelJson, userJson, type FakeMessage, type Json } from './model.ts';
import { reactionChange, type GatewayEvents } from './events.ts';
import { checkUploadSizes, checkVoiceMessage, FLAG_IS_VOICE_MESSAGE, isVoiceMessageBody } from './voice.ts';

const FLAG_HAS_THREAD = 32;

export class ChannelRoutes {
  constructor(private readonly events: GatewayEvents) {}

  private get world() {
    return this.events.world;
  }

  routes(): Route[] {
    const w = this.world;
    return [
      route('GET', '/channels/:channel', ({ params: [id] }) => ok(channelJson(w.channels.get(id!) ?? fail(404, 10003, 'Unknown Channel')))),
      route('PATCH', '/channels/:channel', (r) => ok(this.editChannel(r))),
      route('POST', '/channels/:channel/typing', ({ params: [id] }) => (w.channels.has(id!) ? noContent() : fail(404, 10003, 'Unknown Channel'))),
      route('POST', '/channels/:channel/messages', (r) => ok(this.createChannelMessage(r))),
      route('GET', '/channels/:channel/messages/:message', ({ params: [c, m] }) => ok(w.messageJson(this.visible(c!, m!)))),
      route('PATCH', '/channels/:channel/messages/:message', (r) => ok(this.editChannelMessage(r))),
      route('DELETE', '/channels/:channel/messages/:message', ({ params: [c, m] }) => {
        this.visible(c!, m!).deleted = true;
        this.events.dispatch('MESSAGE_DELETE', { id: m, channel_id: c, ...this.events.guildField(c!) });
        return noContent();
      }),
      route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', (r) => this.react(r, true)),
      route('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', (r) => this.react(r, false)),
      route('GET', '/channels/:channel/messages/:message/reactions/:emoji', (r) => ok(this.reactionUsers(r))),
      route('POST', '/channels/:channel/messages/:message/threads', (r) => ok(this.startThread(r), 201)),
    ];
  }

  private channel(id: string) {
    return this.world.channels.get(id) ?? fail(404, 10003, 'Unknown Channel');
  }

  private visible(channelId: string, messageId: string): FakeMessage {
    this.channel(channelId);
    return this.world.visibleMessage(channelId, messageId) ?? fail(404, 10008, 'Unknown Message');
  }

  private requirePermission(channelId: string, permission: bigint): void {
    const channel = this.channel(channelId);
    if (channel.type === 1) return;
    if (!this.world.botCan(PERMISSIONS.VIEW_CHANNEL) || !this.world.botCan(permission)) fail(403, 50013, 'Missing Permissions');
  }

  private createChannelMessage({ params: [channelId], body, files }: Request): Json {
    const channel = this.channel(channelId!);
    this.requirePermission(channelId!, channel.type === 11 ? PERMISSIONS.SEND_MESSAGES_IN_THREADS : PERMISSIONS.SEND_MESSAGES);
    if (channel.type === 11 && channel.locked) fail(400, 50083, 'Thread is archived');
    if (channel.type === 1 && channel.recipient && this.world.blockedUsers.has(channel.recipient.id)) fail(403, 50007, 'Cannot send messages to this user');
    checkUploadSizes(files);
    const voice = isVoiceMessageBody(body);
    if (voice) checkVoiceMessage(body, files, this.world.canSendVoice(channelId!));
    invalid(validateMessageBody(body, { requireContent: true, files: files.length }));
    let reference: FakeMessage['reference'];
    const ref = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
    if (ref?.message_id) {
      const target = this.world.visibleMessage(channelId!, ref.message_id);
      if (target) reference = { message_id: target.id, channel_id: channelId!, ...this.events.guildField(channelId!) };
      else if (ref.fail_if_not_exists !== false) {
        fail(400, 50035, 'Invalid Form Body', [{ path: 'message_reference', code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
      }
    }
    if (channel.type === 11 && channel.archived) channel.archived = false;
    const message = this.world.createMessage({
      channelId: channelId!,
      author: this.world.bot,
      type: reference ? 19 : 0,
      flags: voice ? FLAG_IS_VOICE_MESSAGE : 0,
      ...(reference ? { reference } : {}),
      ...messageFields(body, files),
    });
    this.events.dispatchMessage('MESSAGE_CREATE', message);
    return this.world.messageJson(message);
  }

  private editChannelMessage({ params: [channelId, messageId], body, files }: Request): Json {
    const message = this.visible(channelId!, messageId!);
    if (message.author.id !== this.world.bot.id) fail(403, 50005, 'Cannot edit a message authored by another user');
    if (message.flags & FLAG_IS_VOICE_MESSAGE || isVoiceMessageBody(body)) fail(400, 50162, 'Voice messages cannot be edited.');
    checkUploadSizes(files);
    const fields = messageFields(body, files, message);
    invalid(validateMessageBody({ ...body, content: fields.content, embeds: fields.embeds, components: fields.components }, { requireContent: true, files: fields.attachments.length }));
    Object.assign(message, fields, { editedAt: new Date().toISOString() });
    this.events.dispatchMessage('MESSAGE_UPDATE', message);
    return this.world.messageJson(message);
  }

  private react({ params: [channelId, messageId, rawEmoji] }: Request, add: boolean) {
    const message = this.visible(channelId!, messageId!);
    const emoji = rawEmoji!;
    // Custom emoji (name:id) are unknown to this fake; plain words are not emoji at all.
    if (!emoji || /^[\w-]+(:\d+)?$/.test(emoji)) fail(400, 10014, 'Unknown Emoji');
    if (add) this.requirePermission(channelId!, PERMISSIONS.ADD_REACTIONS | PERMISSIONS.READ_MESSAGE_HISTORY);
    const changed = reactionChange(message, emoji, this.world.bot.id, add);
    if (changed) this.events.dispatchReaction(add, message, this.world.bot.id, emoji);
    return noContent();
  }

  private reactionUsers({ params: [channelId, messageId, emoji], query }: Request): Json[] {
    const message = this.visible(channelId!, messageId!);
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 25)));
    const after = BigInt(query.after ?? '0');
    const users = message.reactions.find((r) => r.emoji === emoji)?.users ?? [];
    return users
      .filter((id) => BigInt(id) > after)
      .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
      .slice(0, limit)
      .map((id) => userJson(this.world.users.get(id)!));
  }

  private startThread({ params: [channelId, messageId], body }: Request): Json {
    const channel = this.channel(channelId!);
    if (channel.type !== 0 && channel.type !== 5) fail(400, 50024, 'Cannot execute action on this channel type');
    const message = this.visible(channelId!, messageId!);
    this.requirePermission(channelId!, PERMISSIONS.CREATE_PUBLIC_THREADS);
    const errors: FieldError[] = [];
    const name = body.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      errors.push({ path: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    }
    const duration = body.auto_archive_duration;
    if (duration !== undefined && ![60, 1440, 4320, 10080].includes(duration as number)) {
      errors.push({ path: 'auto_archive_duration', code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (60, 1440, 4320, 10080).' });
    }
    invalid(errors);
    if (message.threadId) fail(400, 160004, 'A thread has already been created for this message');
    // A thread started from a message has the message's id.
    const thread = this.world.addChannel({
      id: message.id,
      type: 11,
      name: name as string,
      guildId: channel.guildId!,
      parentId: channel.id,
      ownerId: this.world.bot.id,
      autoArchiveDuration: (duration as number | undefined) ?? 1440,
    });
    message.threadId = thread.id;
    message.flags |= FLAG_HAS_THREAD;
    this.events.dispatch('THREAD_CREATE', { ...channelJson(thread), newly_created: true });
    return channelJson(thread);
  }

  private editChannel({ params: [channelId], body }: Request): Json {
    const channel = this.channel(channelId!);
    if (channel.type !== 11) return fail(403, 50013, 'Missing Permissions');
    if (channel.ownerId !== this.world.bot.id && !this.world.botCan(PERMISSIONS.MANAGE_THREADS)) fail(403, 50013, 'Missing Permissions');
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) {
        invalid([{ path: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }]);
      }
      channel.name = body.name as string;
    }
    if (typeof body.archived === 'boolean') channel.archived = body.archived;
    if (typeof body.locked === 'boolean') channel.locked = body.locked;
    this.events.dispatch('THREAD_UPDATE', channelJson(channel));
    return channelJson(channel);
  }
}
