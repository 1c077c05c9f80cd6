// Decodes Telegram updates into the neutral references the front door understands, and decides whether
// a text message is meant for the bot.
import type { Chat, Message, MessageEntity, User } from 'grammy/types';
import type { ConversationRef, MessageRef, UserRef } from '../../core/types.ts';

export interface BotIdentity {
  id: number;
  username: string;
}

export function toUserRef(from: User): UserRef {
  const displayName = [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || String(from.id);
  return {
    platform: 'telegram',
    externalId: String(from.id),
    displayName,
    ...(from.username ? { username: from.username } : {}),
    ...(from.language_code ? { locale: from.language_code } : {}),
  };
}

/** The forum topic a message belongs to. Replies outside topics also carry message_thread_id: only trust is_topic_message. */
export function topicOf(message: Pick<Message, 'message_thread_id' | 'is_topic_message'> | undefined): number | undefined {
  return message?.is_topic_message && message.message_thread_id !== undefined ? message.message_thread_id : undefined;
}

export function toConversationRef(chat: Pick<Chat, 'id' | 'type'>, threadId?: number): ConversationRef {
  return {
    platform: 'telegram',
    chatId: String(chat.id),
    ...(threadId !== undefined ? { threadId: String(threadId) } : {}),
    isGroup: chat.type !== 'private',
  };
}

export function toMessageRef(chatId: number, messageId: number): MessageRef {
  return { platform: 'telegram', chatId: String(chatId), messageId: String(messageId) };
}

export function topicKey(chatId: number, threadId: number): string {
  return `${chatId}:${threadId}`;
}

export type DecodedText =
  | { kind: 'ignore'; reason: string }
  | { kind: 'text'; text: string; isCommand: boolean; addressed: boolean; replyTo?: MessageRef };

const COMMAND = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?(?=\s|$)/;

function entityText(text: string, entity: MessageEntity): string {
  return text.slice(entity.offset, entity.offset + entity.length);
}

/** The text the learner wrote: the message text, or the caption of a document sent with a command. */
export function messageText(message: Message): { text: string; entities: MessageEntity[] } | undefined {
  if (message.text !== undefined) return { text: message.text, entities: message.entities ?? [] };
  if (message.document && message.caption !== undefined) return { text: message.caption, entities: message.caption_entities ?? [] };
  return undefined;
}

function botMentions(text: string, entities: MessageEntity[], bot: BotIdentity): MessageEntity[] {
  const handle = `@${bot.username}`.toLowerCase();
  return entities.filter(
    (entity) =>
      (entity.type === 'mention' && entityText(text, entity).toLowerCase() === handle) ||
      (entity.type === 'text_mention' && entity.user.id === bot.id),
  );
}

/** The text without the bot's @mentions (the tutor should not see its own handle as part of the sentence). */
function withoutMentions(text: string, mentions: MessageEntity[]): string {
  let result = text;
  for (const entity of [...mentions].sort((a, b) => b.offset - a.offset)) {
    if (entity.type !== 'mention') continue;
    result = result.slice(0, entity.offset) + result.slice(entity.offset + entity.length);
  }
  const cleaned = result.replace(/[ \t]{2,}/g, ' ').trim();
  return cleaned === '' ? text : cleaned;
}

/**
 * A message in a topic that is not an explicit reply still carries reply_to_message: the topic's creation
 * service message. That is not a reply to the bot, but it tells who created the topic.
 */
function isTopicRoot(message: Message): boolean {
  const replied = message.reply_to_message;
  return !!replied && (replied.forum_topic_created !== undefined || replied.message_id === topicOf(message));
}

/** Whether the message replies to the bot, or sits in a forum topic the bot opened (a role-play). */
function conversationPlace(message: Message, bot: BotIdentity, botTopics: ReadonlySet<string>): { replyTo?: MessageRef; inBotTopic: boolean } {
  const chatId = message.chat.id;
  const replied = message.reply_to_message;
  const rootOfTopic = isTopicRoot(message);
  const replyTo = replied && !rootOfTopic && replied.from?.id === bot.id ? toMessageRef(chatId, replied.message_id) : undefined;
  const topic = topicOf(message);
  const inBotTopic =
    topic !== undefined && (botTopics.has(topicKey(chatId, topic)) || (rootOfTopic && replied?.from?.id === bot.id));
  return { ...(replyTo ? { replyTo } : {}), inBotTopic };
}

export interface DecodedVoice {
  addressed: boolean;
  replyTo?: MessageRef;
}

/** A voice note is for the bot in a private chat, as a reply to the bot, or in the bot's own topic (it cannot mention). */
export function decodeVoiceMessage(message: Message, bot: BotIdentity, botTopics: ReadonlySet<string>): DecodedVoice {
  const { replyTo, inBotTopic } = conversationPlace(message, bot, botTopics);
  return { addressed: message.chat.type === 'private' || replyTo !== undefined || inBotTopic, ...(replyTo ? { replyTo } : {}) };
}

export function decodeTextMessage(message: Message, bot: BotIdentity, botTopics: ReadonlySet<string>): DecodedText {
  const written = messageText(message);
  if (written === undefined) return { kind: 'ignore', reason: 'not text' };
  const { text, entities } = written;
  // A file counts only as the attachment of a command ("/import" as the caption of a document).
  if (message.document && !text.startsWith('/')) return { kind: 'ignore', reason: 'document without a command' };

  if (text.startsWith('/')) {
    const target = COMMAND.exec(text)?.[1];
    if (target !== undefined && target.toLowerCase() !== bot.username.toLowerCase()) {
      return { kind: 'ignore', reason: 'command for another bot' };
    }
  }
  const isCommand = text.startsWith('/');

  const { replyTo, inBotTopic } = conversationPlace(message, bot, botTopics);
  const mentions = botMentions(text, entities, bot);

  const addressed = isCommand || message.chat.type === 'private' || replyTo !== undefined || mentions.length > 0 || inBotTopic;
  return {
    kind: 'text',
    text: isCommand ? text : withoutMentions(text, mentions),
    isCommand,
    addressed,
    ...(replyTo ? { replyTo } : {}),
  };
}
