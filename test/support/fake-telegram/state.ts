// The fake's world: users, chats, topics and every message in them, in Telegram's JSON shapes.
import type { ParsedEntity } from './telegram-html.ts';
import type { UploadedFile } from './request-body.ts';

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: true;
}

/** A message as Telegram serialises it (only the fields this project uses). */
export interface TgMessage {
  message_id: number;
  date: number;
  chat: FakeChat;
  from?: FakeUser;
  text?: string;
  entities?: ParsedEntity[];
  caption?: string;
  caption_entities?: ParsedEntity[];
  document?: { file_id: string; file_unique_id: string; file_name: string; mime_type: string; file_size: number };
  voice?: { file_id: string; file_unique_id: string; duration: number; mime_type: string; file_size: number };
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
  message_thread_id?: number;
  is_topic_message?: true;
  reply_to_message?: TgMessage;
  forum_topic_created?: { name: string; icon_color: number };
  edit_date?: number;
}

export interface StoredMessage {
  message: TgMessage;
  fromBot: boolean;
  /** What the bot sent as text (HTML source when parse_mode was HTML). */
  source?: string;
  document?: UploadedFile;
  /** The Ogg Opus file of a voice note the bot sent. */
  voice?: UploadedFile;
  /** false once a test marks it too old to edit. */
  editable: boolean;
  /** When the bot last edited its text (the fake's per-message edit throttle). */
  lastEditAt?: number;
}

export interface Topic {
  name: string;
  closed: boolean;
  createdByBot: boolean;
}

export class ChatState {
  readonly messages = new Map<number, StoredMessage>();
  readonly topics = new Map<number, Topic>();
  /** user reactions: `${messageId}:${userId}` → emoji list */
  readonly reactions = new Map<string, string[]>();
  canManageTopics = true;
  blocked = false;
  /** The user's privacy settings forbid voice messages from the bot (Telegram Premium): sendVoice fails. */
  voiceForbidden = false;
  /** Group members with rights (getChatMember): user id → 'creator' or 'administrator'; others are members. */
  readonly admins = new Map<number, 'creator' | 'administrator'>();
  /** Every draft the bot streamed here (sendMessageDraft), in order. */
  readonly drafts: Array<{ draftId: number; text: string; at: number }> = [];
  private nextId = 1;

  constructor(readonly chat: FakeChat) {}

  allocateMessageId(): number {
    return this.nextId++;
  }

  store(entry: StoredMessage): StoredMessage {
    this.messages.set(entry.message.message_id, entry);
    return entry;
  }

  get isForum(): boolean {
    return this.chat.is_forum === true;
  }

  /** Telegram puts the reply-chain root's id in message_thread_id for replies in ordinary supergroups. */
  replyThreadRoot(messageId: number): number {
    let current = this.messages.get(messageId)?.message;
    while (current?.reply_to_message) current = this.messages.get(current.reply_to_message.message_id)?.message ?? current.reply_to_message;
    return current?.message_id ?? messageId;
  }
}

export const now = () => Math.floor(Date.now() / 1000);

/** A copy without the nested reply, as Telegram embeds replied-to messages one level deep only. */
export function shallow(message: TgMessage): TgMessage {
  const { reply_to_message: _ignored, ...rest } = message;
  return structuredClone(rest);
}
