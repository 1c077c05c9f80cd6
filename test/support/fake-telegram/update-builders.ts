// Builds the updates a real user's actions would produce, and records the user's messages in the fake's
// world so replies to them (and the bot's replies to those) behave as in Telegram.
import { randomUUID } from 'node:crypto';
import type { FakeWorld } from './world.ts';
import { now, shallow, type ChatState, type FakeChat, type FakeUser, type TgMessage } from './state.ts';
import type { ParsedEntity } from './telegram-html.ts';

/** An update without its id; the server numbers updates when they are queued. */
export type UpdateBody = Record<string, unknown>;

/** A voice note a user records: Ogg Opus bytes and the duration the app measured (whole seconds). */
export interface VoiceNote {
  bytes: Buffer;
  duration: number;
  /** The file_size Telegram reports, when a test needs it to differ from the bytes' length. */
  size?: number;
}

export interface TextOptions {
  /** Reply to this message (any message in the chat). */
  replyTo?: number;
  /** Write inside this forum topic. */
  threadId?: number;
}

/** The entities Telegram derives from a user's text: a leading /command and @mentions. */
function userEntities(text: string): ParsedEntity[] {
  const entities: ParsedEntity[] = [];
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const match of text.matchAll(/(^|[^A-Za-z0-9_])(@[A-Za-z0-9_]{5,32})/g)) {
    if (command && match.index === 0) continue;
    entities.push({ type: 'mention', offset: match.index! + match[1]!.length, length: match[2]!.length });
  }
  return entities;
}

export class UpdateBuilders {
  constructor(private readonly world: FakeWorld) {}

  private state(chat: FakeChat): ChatState {
    return this.world.chat(chat.id);
  }

  /** A user's text message (also a /command). */
  text(chat: FakeChat, from: FakeUser, text: string, options: TextOptions = {}): { update: UpdateBody; message: TgMessage } {
    const state = this.state(chat);
    const message: TgMessage = { message_id: state.allocateMessageId(), date: now(), chat: state.chat, from, text };
    const entities = userEntities(text);
    if (entities.length > 0) message.entities = entities;
    this.place(state, chat, message, options);
    state.store({ message, fromBot: false, editable: false });
    return { update: { message: structuredClone(message) }, message };
  }

  /**
   * A user's voice note (Ogg Opus bytes), as the Telegram apps record it. `size` overrides the reported
   * file_size (a voice note larger than getFile's 20 MB without sending 20 MB).
   */
  voice(chat: FakeChat, from: FakeUser, voice: VoiceNote, options: TextOptions = {}): { update: UpdateBody; message: TgMessage } {
    const state = this.state(chat);
    const stored = this.world.storeFile({ filename: 'voice.oga', bytes: voice.bytes, mimeType: 'audio/ogg' }, { folder: 'voice', ...(voice.size !== undefined ? { size: voice.size } : {}) });
    const message: TgMessage = {
      message_id: state.allocateMessageId(),
      date: now(),
      chat: state.chat,
      from,
      voice: { file_id: stored.fileId, file_unique_id: stored.fileId, duration: voice.duration, mime_type: 'audio/ogg', file_size: voice.size ?? voice.bytes.length },
    };
    this.place(state, chat, message, options);
    state.store({ message, fromBot: false, editable: false });
    return { update: { message: structuredClone(message) }, message };
  }

  /** Puts a user's message in its topic and reply chain, as Telegram does. */
  private place(state: ChatState, chat: FakeChat, message: TgMessage, options: TextOptions): void {
    const replied = options.replyTo !== undefined ? state.messages.get(options.replyTo)?.message : undefined;
    if (options.replyTo !== undefined && !replied) throw new Error(`fake-telegram: no message ${options.replyTo} in chat ${chat.id}`);
    // In a topic, the message belongs to replied's topic (or the given one); Telegram then sets
    // reply_to_message to the topic's creation message when there is no explicit reply.
    const threadId = options.threadId ?? (state.isForum ? replied?.message_thread_id : undefined);
    if (threadId !== undefined) {
      const topic = state.topics.get(threadId);
      if (!state.isForum || !topic) throw new Error(`fake-telegram: no topic ${threadId} in chat ${chat.id}`);
      message.message_thread_id = threadId;
      message.is_topic_message = true;
      message.reply_to_message = shallow(replied ?? state.messages.get(threadId)!.message);
    } else if (replied) {
      message.reply_to_message = shallow(replied);
      // Ordinary supergroups number reply chains too (without is_topic_message): adapters must not treat it as a topic.
      if (chat.type === 'supergroup') message.message_thread_id = state.replyThreadRoot(replied.message_id);
    }
  }

  /** A user's document with a caption (e.g. "/import" with a file). `size` overrides the reported file_size. */
  document(chat: FakeChat, from: FakeUser, file: { filename: string; bytes: Buffer; mimeType?: string; size?: number }, caption?: string): { update: UpdateBody; message: TgMessage } {
    const state = this.state(chat);
    const stored = this.world.storeFile({ filename: file.filename, bytes: file.bytes, mimeType: file.mimeType ?? 'application/octet-stream' });
    const message: TgMessage = {
      message_id: state.allocateMessageId(),
      date: now(),
      chat: state.chat,
      from,
      document: { file_id: stored.fileId, file_unique_id: stored.fileId, file_name: file.filename, mime_type: stored.mimeType, file_size: file.size ?? file.bytes.length },
      ...(caption !== undefined ? { caption } : {}),
    };
    if (caption !== undefined) {
      const entities = userEntities(caption);
      if (entities.length > 0) message.caption_entities = entities;
    }
    state.store({ message, fromBot: false, editable: false });
    return { update: { message: structuredClone(message) }, message };
  }

  /** The user edits one of their messages. */
  edit(chat: FakeChat, messageId: number, text: string): UpdateBody {
    const stored = this.state(chat).messages.get(messageId);
    if (!stored || stored.fromBot) throw new Error(`fake-telegram: no user message ${messageId}`);
    stored.message = { ...stored.message, text, edit_date: now() };
    return { edited_message: structuredClone(stored.message) };
  }

  /** The user presses an inline button of a bot message; `data` must be one of its buttons. */
  press(chat: FakeChat, from: FakeUser, messageId: number, data: string): { update: UpdateBody; queryId: string } {
    const stored = this.state(chat).messages.get(messageId);
    if (!stored?.fromBot) throw new Error(`fake-telegram: no bot message ${messageId} in chat ${chat.id}`);
    const buttons = stored.message.reply_markup?.inline_keyboard.flat() ?? [];
    if (!buttons.some((button) => button.callback_data === data)) {
      throw new Error(`fake-telegram: message ${messageId} has no button with data ${JSON.stringify(data)}`);
    }
    const queryId = randomUUID();
    this.world.callbackQueries.set(queryId, { answered: false });
    const update = {
      callback_query: { id: queryId, from, message: structuredClone(stored.message), chat_instance: String(chat.id), data },
    };
    return { update, queryId };
  }

  /** The user sets their reactions on a message to `emojis` (an empty list removes them). */
  react(chat: FakeChat, from: FakeUser, messageId: number, emojis: string[]): UpdateBody {
    const state = this.state(chat);
    if (!state.messages.has(messageId)) throw new Error(`fake-telegram: no message ${messageId} in chat ${chat.id}`);
    const key = `${messageId}:${from.id}`;
    const old = state.reactions.get(key) ?? [];
    state.reactions.set(key, emojis);
    const asReactions = (list: string[]) => list.map((emoji) => ({ type: 'emoji', emoji }));
    return {
      message_reaction: { chat: state.chat, message_id: messageId, user: from, date: now(), old_reaction: asReactions(old), new_reaction: asReactions(emojis) },
    };
  }

  /** A user (not the bot) opens a forum topic. */
  userTopic(chat: FakeChat, from: FakeUser, name: string): { update: UpdateBody; threadId: number } {
    const state = this.state(chat);
    if (!state.isForum) throw new Error('fake-telegram: not a forum');
    const threadId = state.allocateMessageId();
    state.topics.set(threadId, { name, closed: false, createdByBot: false });
    const message: TgMessage = {
      message_id: threadId,
      date: now(),
      chat: state.chat,
      from,
      message_thread_id: threadId,
      is_topic_message: true,
      forum_topic_created: { name, icon_color: 7322096 },
    };
    state.store({ message, fromBot: false, editable: false });
    return { update: { message: structuredClone(message) }, threadId };
  }
}
