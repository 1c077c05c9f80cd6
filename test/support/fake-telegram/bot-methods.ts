// The Bot API methods the fake implements, with the checks Telegram makes. Each returns the `result` or
// throws ApiError; the server turns that into { ok: false, error_code, description, parameters }.
import type { FakeWorld } from './world.ts';
import { now, shallow, type ChatState, type StoredMessage, type TgMessage } from './state.ts';
import type { Payload, UploadedFile } from './request-body.ts';
import {
  ALLOWED_REACTIONS,
  ApiError,
  badRequest,
  formatText,
  MAX_CALLBACK_ANSWER,
  MAX_CAPTION,
  MAX_TEXT,
  checkVoiceDuration,
  checkVoiceFile,
  MAX_DOWNLOAD_BYTES,
  validateCommands,
  validateReplyMarkup,
} from './validate.ts';

export type MethodHandler = (world: FakeWorld, payload: Payload) => unknown;

const CHAT_ACTIONS = new Set(['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note']);

function requireReachable(state: ChatState): void {
  if (state.blocked) {
    throw new ApiError(403, state.chat.type === 'private' ? 'Forbidden: bot was blocked by the user' : 'Forbidden: bot was kicked from the group chat');
  }
}

function checkThread(state: ChatState, threadId: unknown): number | undefined {
  if (threadId === undefined) return undefined;
  const id = Number(threadId);
  const topic = state.topics.get(id);
  if (!state.isForum || !topic) throw badRequest('message thread not found');
  if (topic.closed) throw badRequest('TOPIC_CLOSED');
  return id;
}

function replyTarget(state: ChatState, params: unknown): TgMessage | undefined {
  if (params === undefined) return undefined;
  const { message_id, allow_sending_without_reply } = params as { message_id?: number; allow_sending_without_reply?: boolean };
  const target = state.messages.get(Number(message_id));
  if (!target && !allow_sending_without_reply) throw badRequest('message to be replied not found');
  return target?.message;
}

function takeRateSlot(world: FakeWorld, chatId: number): void {
  const retryAfter = world.rate.take(chatId);
  if (retryAfter !== undefined) {
    throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
}

function deliver(world: FakeWorld, state: ChatState, fields: Partial<TgMessage>, payload: Payload, extra: Partial<StoredMessage>): TgMessage {
  const threadId = checkThread(state, payload.message_thread_id);
  const replyTo = replyTarget(state, payload.reply_parameters);
  validateReplyMarkup(payload.reply_markup);
  takeRateSlot(world, state.chat.id);
  const message: TgMessage = {
    message_id: state.allocateMessageId(),
    date: now(),
    chat: state.chat,
    from: world.bot,
    ...fields,
    ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true as const } : {}),
    ...(replyTo ? { reply_to_message: shallow(replyTo) } : {}),
    ...(payload.reply_markup ? { reply_markup: payload.reply_markup as TgMessage['reply_markup'] } : {}),
  };
  state.store({ message, fromBot: true, editable: true, ...extra });
  return structuredClone(message);
}

function editableMessage(world: FakeWorld, payload: Payload): { state: ChatState; stored: StoredMessage } {
  if (payload.inline_message_id !== undefined) throw badRequest('inline messages are not supported by this fake');
  const state = world.chat(payload.chat_id);
  requireReachable(state);
  const stored = state.messages.get(Number(payload.message_id));
  if (!stored) throw badRequest('message to edit not found');
  if (!stored.fromBot || !stored.editable) throw badRequest("message can't be edited");
  return { state, stored };
}

/** Edits of one message at most once per `world.editIntervalMs` (the streaming guidance for bots): sooner → 429. */
function takeEditSlot(world: FakeWorld, stored: StoredMessage): void {
  const last = stored.lastEditAt;
  const at = Date.now();
  if (last !== undefined && world.editIntervalMs > 0 && at - last < world.editIntervalMs) {
    const retryAfter = Math.max(1, Math.ceil((last + world.editIntervalMs - at) / 1000));
    throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
  stored.lastEditAt = at;
}

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

export const BOT_METHODS: Record<string, MethodHandler> = {
  getMe: (world) => ({ ...world.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),

  getChat: (world, p) => ({ ...world.chat(p.chat_id).chat, accent_color_id: 0, max_reaction_count: 11 }),

  /** ChatMember in the API's shape: ChatMemberOwner, ChatMemberAdministrator or ChatMemberMember. */
  getChatMember(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    const userId = Number(p.user_id);
    if (!Number.isSafeInteger(userId) || userId <= 0) throw badRequest('invalid user_id specified');
    const user = world.users.get(userId);
    if (!user) throw badRequest('PARTICIPANT_ID_INVALID');
    const status = state.chat.type === 'private' ? 'member' : (state.admins.get(userId) ?? 'member');
    if (status === 'creator') return { status, user, is_anonymous: false };
    if (status === 'administrator') {
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
      };
    }
    return { status, user };
  },

  sendMessage(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    const formatted = formatText(p.text, p.parse_mode, MAX_TEXT);
    return deliver(world, state, { text: formatted.text, ...(formatted.entities.length ? { entities: formatted.entities } : {}) }, p, {
      source: p.text as string,
    });
  },

  sendDocument(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    const file = p.document as UploadedFile | string | undefined;
    if (file === undefined || typeof file === 'string') throw badRequest('there is no document in the request');
    const caption = formatText(p.caption, p.parse_mode, MAX_CAPTION, true);
    const stored = world.storeFile(file);
    const document = { file_id: stored.fileId, file_unique_id: stored.fileId, file_name: file.filename, mime_type: file.mimeType, file_size: file.bytes.length };
    return deliver(world, state, { document, ...(caption.text ? { caption: caption.text } : {}) }, p, { document: file });
  },

  /** A voice note: Ogg Opus only (other formats would arrive as audio or documents), up to 50 MB, with its duration. */
  sendVoice(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    if (state.voiceForbidden) throw badRequest('VOICE_MESSAGES_FORBIDDEN');
    const upload = p.voice as UploadedFile | string | undefined;
    const file = typeof upload === 'string' ? world.files.get(upload) : upload;
    if (file === undefined) throw badRequest(typeof upload === 'string' ? 'wrong file identifier/HTTP URL specified' : 'there is no voice in the request');
    checkVoiceFile(file.bytes);
    const duration = checkVoiceDuration(p.duration);
    const caption = formatText(p.caption, p.parse_mode, MAX_CAPTION, true);
    const stored = typeof upload === 'string' ? world.files.get(upload)! : world.storeFile(file, { folder: 'voice' });
    const voice = { file_id: stored.fileId, file_unique_id: stored.fileId, duration, mime_type: 'audio/ogg', file_size: stored.bytes.length };
    return deliver(world, state, { voice, ...(caption.text ? { caption: caption.text } : {}), ...(caption.entities.length ? { caption_entities: caption.entities } : {}) }, p, {
      voice: stored,
      ...(typeof p.caption === 'string' ? { source: p.caption } : {}),
    });
  },
  /**
   * A draft streamed into a private chat (Bot API 9.3+): only private chats, a non-zero draft_id, 0–4096
   * characters after entity parsing (empty: a "Thinking…" placeholder). Drafts are ephemeral: recorded, not stored.
   */
  sendMessageDraft(world, p) {
    if (world.draftsUnsupported) throw new ApiError(404, 'Not Found: method not found');
    const state = world.chat(p.chat_id);
    requireReachable(state);
    if (state.chat.type !== 'private') throw badRequest('TEXTDRAFT_PEER_INVALID');
    const draftId = Number(p.draft_id);
    if (!Number.isSafeInteger(draftId) || draftId === 0) throw badRequest('DRAFT_ID_INVALID');
    checkThread(state, p.message_thread_id);
    const formatted = formatText(p.text ?? '', p.parse_mode, MAX_TEXT, true);
    state.drafts.push({ draftId, text: formatted.text, at: Date.now() });
    return true;
  },

  editMessageText(world, p) {
    const { state, stored } = editableMessage(world, p);
    if (stored.message.text === undefined) throw badRequest('there is no text in the message to edit');
    const formatted = formatText(p.text, p.parse_mode, MAX_TEXT);
    validateReplyMarkup(p.reply_markup);
    const before = JSON.stringify([stored.message.text, stored.message.entities ?? [], stored.message.reply_markup ?? null]);
    const after = JSON.stringify([formatted.text, formatted.entities, p.reply_markup ?? null]);
    if (before === after) throw badRequest(NOT_MODIFIED);
    takeEditSlot(world, stored);
    const message: TgMessage = { ...stored.message, text: formatted.text, edit_date: now() };
    if (formatted.entities.length) message.entities = formatted.entities;
    else delete message.entities;
    if (p.reply_markup) message.reply_markup = p.reply_markup as TgMessage['reply_markup'];
    else delete message.reply_markup;
    state.store({ ...stored, message, source: p.text as string });
    return structuredClone(message);
  },

  editMessageReplyMarkup(world, p) {
    const { state, stored } = editableMessage(world, p);
    validateReplyMarkup(p.reply_markup);
    if (JSON.stringify(stored.message.reply_markup ?? null) === JSON.stringify(p.reply_markup ?? null)) throw badRequest(NOT_MODIFIED);
    const message: TgMessage = { ...stored.message, edit_date: now() };
    if (p.reply_markup) message.reply_markup = p.reply_markup as TgMessage['reply_markup'];
    else delete message.reply_markup;
    state.store({ ...stored, message });
    return structuredClone(message);
  },

  answerCallbackQuery(world, p) {
    const query = world.callbackQueries.get(String(p.callback_query_id));
    if (!query || query.answered) throw badRequest('query is too old and response timeout expired or query ID is invalid');
    if (typeof p.text === 'string' && p.text.length > MAX_CALLBACK_ANSWER) throw badRequest('MESSAGE_TOO_LONG');
    query.answered = true;
    query.answer = {
      ...(typeof p.text === 'string' ? { text: p.text } : {}),
      ...(typeof p.show_alert === 'boolean' ? { show_alert: p.show_alert } : {}),
    };
    return true;
  },

  sendChatAction(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    if (!CHAT_ACTIONS.has(String(p.action))) throw badRequest('wrong parameter action in request');
    checkThread(state, p.message_thread_id);
    return true;
  },

  setMyCommands(world, p) {
    validateCommands(p.commands);
    world.commands = structuredClone(p.commands) as FakeWorld['commands'];
    return true;
  },

  deleteMyCommands(world) {
    world.commands = [];
    return true;
  },

  getMyCommands: (world) => structuredClone(world.commands),

  setMessageReaction(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    if (!state.messages.has(Number(p.message_id))) throw badRequest('message to react not found');
    for (const reaction of (p.reaction as Array<{ type: string; emoji?: string }> | undefined) ?? []) {
      if (reaction.type !== 'emoji' || !ALLOWED_REACTIONS.has(reaction.emoji ?? '')) throw badRequest('REACTION_INVALID');
    }
    return true;
  },

  createForumTopic(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    if (!state.isForum) throw badRequest('the chat is not a forum');
    if (!state.canManageTopics) throw badRequest('not enough rights to create a topic');
    const name = String(p.name ?? '');
    if (name.length < 1 || name.length > 128) throw badRequest('TOPIC_NAME_INVALID');
    takeRateSlot(world, state.chat.id);
    // The topic's id is the id of its creation service message.
    const threadId = state.allocateMessageId();
    const icon_color = 7322096;
    state.topics.set(threadId, { name, closed: false, createdByBot: true });
    state.store({
      message: {
        message_id: threadId,
        date: now(),
        chat: state.chat,
        from: world.bot,
        message_thread_id: threadId,
        is_topic_message: true,
        forum_topic_created: { name, icon_color },
      },
      fromBot: true,
      editable: false,
    });
    return { message_thread_id: threadId, name, icon_color };
  },

  closeForumTopic(world, p) {
    const state = world.chat(p.chat_id);
    requireReachable(state);
    const topic = state.topics.get(Number(p.message_thread_id));
    if (!state.isForum || !topic) throw badRequest('TOPIC_ID_INVALID');
    if (!state.canManageTopics && !topic.createdByBot) throw badRequest('not enough rights to manage topics');
    if (topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
    topic.closed = true;
    return true;
  },

  setWebhook(world, p) {
    const url = String(p.url ?? '');
    if (url === '') {
      world.webhook = undefined;
      return true;
    }
    // Telegram demands HTTPS; the fake accepts http://127.0.0.1 so tests need no certificates.
    if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(p.secret_token))) {
      throw badRequest('bad webhook: secret token contains unallowed characters');
    }
    world.webhook = {
      url,
      ...(p.secret_token !== undefined ? { secretToken: String(p.secret_token) } : {}),
      ...(Array.isArray(p.allowed_updates) ? { allowedUpdates: p.allowed_updates as string[] } : {}),
    };
    return true;
  },

  deleteWebhook(world) {
    world.webhook = undefined;
    return true;
  },

  getFile(world, p) {
    const file = world.files.get(String(p.file_id));
    if (!file) throw badRequest('invalid file_id');
    // Bots may download files up to 20 MB.
    if (Math.max(file.size, file.bytes.length) > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
    return { file_id: file.fileId, file_unique_id: file.fileId, file_size: file.size, file_path: file.filePath };
  },

  getWebhookInfo: (world) => ({ url: world.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 }),
};
