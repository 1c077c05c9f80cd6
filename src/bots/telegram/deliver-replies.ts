// Sends the front door's Replies to Telegram: message parts with the keyboard on the last one, edits of the
// message that carried a pressed button, documents, forum topics for simulations, and the sent() records
// that let later reactions and replies find what a message was about.
import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from '../../logger.ts';
import type { Incoming, TutorFrontDoor } from '../../commands/front-door.ts';
import type { DeliveryResult, Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { buildKeyboard } from './keyboard.ts';
import { renderReplyParts, truncate } from './render-reply.ts';
import { escapeHtml } from './spans.ts';
import type { MessagePart } from './split-message.ts';
import { toConversationRef, toMessageRef, topicKey } from './decode-update.ts';
import { MAX_CAPTION_LENGTH, sendVoiceNote } from './send-voice.ts';
import { describeError, isChatGone, isEntityParseError, isForbidden, isNotModified, isThreadGone } from './errors.ts';

/** Telegram's limit for forum topic names. */
const MAX_TOPIC_NAME = 128;

export interface DeliveryChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  isForum: boolean;
}

export interface DeliveryContext {
  api: Api;
  frontDoor: TutorFrontDoor;
  incoming: Incoming;
  log: Logger;
  t: Translator;
  chat: DeliveryChat;
  /** The forum topic the update came from. */
  threadId?: number;
  /** The learner's message to answer (groups: the reply makes clear whom the bot answers). */
  replyToMessageId?: number;
  /** The message that carried the pressed button (for replaceOrigin). */
  originMessageId?: number;
  /** Topics this bot created; shared with the decoder so messages there count as addressed. */
  botTopics: Set<string>;
}

interface Placement {
  threadId?: number;
  replyToMessageId?: number;
}

/**
 * Delivers replies in order. Never throws: a failed reply is logged and the next one is tried, unless the chat
 * is gone ('blocked': the learner blocked the bot, the bot left the group, or the chat does not exist).
 */
export async function deliverReplies(ctx: DeliveryContext, replies: readonly Reply[]): Promise<DeliveryResult> {
  let result: DeliveryResult = 'sent';
  let replyTo = ctx.chat.type === 'private' ? undefined : ctx.replyToMessageId;
  let simulationTopic: { sessionId: number; threadId: number } | undefined;

  for (const reply of replies) {
    let threadId = ctx.threadId;
    if (simulationTopic && reply.simulationSessionId === simulationTopic.sessionId) threadId = simulationTopic.threadId;
    const opened = reply.openThread ? await openTopic(ctx, reply.openThread.name) : undefined;
    if (opened !== undefined) {
      simulationTopic = { sessionId: reply.openThread!.simulationSessionId, threadId: opened };
      threadId = opened;
    }
    try {
      try {
        await sendReply(ctx, reply, { threadId, replyToMessageId: opened === undefined ? replyTo : undefined });
        replyTo = undefined;
      } finally {
        // The topic exists even if the send failed: later messages there must still find the simulation.
        if (opened !== undefined) await notifyThreadOpened(ctx, reply.openThread!.simulationSessionId, opened);
      }
      if (opened !== undefined) await announceTopic(ctx, reply.openThread!.name);
      if (reply.closeThread && threadId !== undefined) await closeTopic(ctx, threadId);
    } catch (err) {
      if (isForbidden(err) || isChatGone(err)) {
        ctx.log.warn({ err: describeError(err) }, 'telegram: chat not reachable (blocked or removed), dropping replies');
        return 'blocked';
      }
      ctx.log.error({ err: describeError(err) }, 'telegram: sending a reply failed');
      result = 'failed';
    }
  }
  return result;
}

async function openTopic(ctx: DeliveryContext, name: string): Promise<number | undefined> {
  const topicName = truncate(name.trim(), MAX_TOPIC_NAME);
  if (!ctx.chat.isForum || topicName === '') return undefined;
  try {
    const topic = await ctx.api.createForumTopic(ctx.chat.id, topicName);
    ctx.botTopics.add(topicKey(ctx.chat.id, topic.message_thread_id));
    ctx.log.info({ threadId: topic.message_thread_id }, 'telegram: forum topic created');
    return topic.message_thread_id;
  } catch (err) {
    // Usually missing can_manage_topics: the simulation continues as a reply chain in the chat.
    ctx.log.warn({ err: describeError(err) }, 'telegram: cannot create a forum topic, using a reply chain');
    return undefined;
  }
}

async function announceTopic(ctx: DeliveryContext, name: string): Promise<void> {
  const text = escapeHtml(ctx.t('telegram.topicOpened', { name: truncate(name.trim(), MAX_TOPIC_NAME) }));
  await sendPart(ctx, { html: text, text }, { threadId: ctx.threadId, replyToMessageId: ctx.replyToMessageId }, undefined).catch(
    (err: unknown) => ctx.log.warn({ err: describeError(err) }, 'telegram: topic notice failed'),
  );
}

async function notifyThreadOpened(ctx: DeliveryContext, sessionId: number, threadId: number): Promise<void> {
  try {
    await ctx.frontDoor.threadOpened(sessionId, toConversationRef(ctx.chat, threadId));
  } catch (err) {
    ctx.log.error({ err: describeError(err), sessionId }, 'telegram: threadOpened failed');
  }
}

async function closeTopic(ctx: DeliveryContext, threadId: number): Promise<void> {
  if (!ctx.chat.isForum) return;
  try {
    await ctx.api.closeForumTopic(ctx.chat.id, threadId);
  } catch (err) {
    ctx.log.info({ err: describeError(err) }, 'telegram: closing the forum topic failed');
  }
  ctx.botTopics.delete(topicKey(ctx.chat.id, threadId));
}

async function sendReply(ctx: DeliveryContext, reply: Reply, placement: Placement): Promise<void> {
  const keyboard = buildKeyboard(reply, ctx.t, ctx.log);
  let parts = renderReplyParts(reply, ctx.t);
  const canEditOrigin = !!reply.replaceOrigin && ctx.originMessageId !== undefined;
  // A short reply rides on the voice note as its caption, keyboard included: one message, text under the audio.
  if (reply.voice && !reply.attachment && !canEditOrigin && parts.length <= 1 && (parts[0]?.text.length ?? 0) <= MAX_CAPTION_LENGTH) {
    const id = await sendVoiceNote(ctx.api, ctx.chat.id, reply.voice, placement, parts[0], keyboard, ctx.log);
    await recordSent(ctx, reply, [id]);
    return;
  }
  if (parts.length === 0 && keyboard && !reply.attachment) {
    const text = ctx.t('telegram.chooseBelow');
    parts = [{ html: escapeHtml(text), text }];
  }
  if (parts.length === 0 && !reply.attachment && !reply.voice) {
    ctx.log.warn('telegram: empty reply, nothing to send');
    return;
  }

  const sentIds: number[] = [];
  let where = placement;
  for (const [i, part] of parts.entries()) {
    const markup = i === parts.length - 1 ? keyboard : undefined;
    const canEdit = i === 0 && canEditOrigin;
    sentIds.push(canEdit ? await editOrSend(ctx, ctx.originMessageId!, part, where, markup) : await sendPart(ctx, part, where, markup));
    where = { ...where, replyToMessageId: undefined };
  }
  if (reply.attachment) {
    const document = await sendAttachment(ctx, reply.attachment, where, parts.length === 0 ? keyboard : undefined);
    if (parts.length === 0) sentIds.push(document);
    where = { ...where, replyToMessageId: undefined };
  }
  if (reply.voice) {
    // Long text went first; the voice note follows it. Its id goes first so the keyboard's message stays last.
    sentIds.unshift(await sendVoiceNote(ctx.api, ctx.chat.id, reply.voice, where, undefined, undefined, ctx.log));
  }
  await recordSent(ctx, reply, sentIds);
}

/** sent() for the last part (it carries the rating keyboard) and, in simulations, every part, so replying to any continues. */
async function recordSent(ctx: DeliveryContext, reply: Reply, messageIds: number[]): Promise<void> {
  if (reply.rateGenerationId === undefined && reply.simulationSessionId === undefined) return;
  for (const [i, messageId] of messageIds.entries()) {
    if (i !== messageIds.length - 1 && reply.simulationSessionId === undefined) continue;
    try {
      await ctx.frontDoor.sent(toMessageRef(ctx.chat.id, messageId), reply);
    } catch (err) {
      ctx.log.error({ err: describeError(err), messageId }, 'telegram: recording a sent message failed');
    }
  }
}

function messageOptions(where: Placement, markup: InlineKeyboardMarkup | undefined) {
  return {
    link_preview_options: { is_disabled: true },
    ...(where.threadId !== undefined ? { message_thread_id: where.threadId } : {}),
    ...(where.replyToMessageId !== undefined
      ? { reply_parameters: { message_id: where.replyToMessageId, allow_sending_without_reply: true } }
      : {}),
    ...(markup ? { reply_markup: markup } : {}),
  };
}

async function sendPart(ctx: DeliveryContext, part: MessagePart, where: Placement, markup: InlineKeyboardMarkup | undefined): Promise<number> {
  const options = messageOptions(where, markup);
  try {
    const message = await ctx.api.sendMessage(ctx.chat.id, part.html, { ...options, parse_mode: 'HTML' });
    return message.message_id;
  } catch (err) {
    if (isEntityParseError(err)) {
      // A rendering bug must not cost the learner the reply: send the same text without formatting.
      ctx.log.error({ err: describeError(err) }, 'telegram: HTML rejected, sending plain text');
      return (await ctx.api.sendMessage(ctx.chat.id, part.text, options)).message_id;
    }
    if (isThreadGone(err) && where.threadId !== undefined) {
      ctx.log.warn({ err: describeError(err) }, 'telegram: topic gone, sending to the chat');
      return sendPart(ctx, part, { ...where, threadId: undefined }, markup);
    }
    throw err;
  }
}

/** Replaces the message that carried the button; a message that cannot be edited (too old, a document) gets a new one instead. */
async function editOrSend(
  ctx: DeliveryContext,
  messageId: number,
  part: MessagePart,
  where: Placement,
  markup: InlineKeyboardMarkup | undefined,
): Promise<number> {
  try {
    await ctx.api.editMessageText(ctx.chat.id, messageId, part.html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(markup ? { reply_markup: markup } : {}),
    });
    return messageId;
  } catch (err) {
    // Same content already shown (a double tap): sending a copy would only add noise.
    if (isNotModified(err)) return messageId;
    if (isForbidden(err)) throw err;
    ctx.log.info({ err: describeError(err) }, 'telegram: edit failed, sending a new message');
    return sendPart(ctx, part, where, markup);
  }
}

async function sendAttachment(
  ctx: DeliveryContext,
  attachment: NonNullable<Reply['attachment']>,
  where: Placement,
  markup: InlineKeyboardMarkup | undefined,
): Promise<number> {
  const file = new InputFile(attachment.data, attachment.filename);
  const options = messageOptions(where, markup);
  delete (options as { link_preview_options?: unknown }).link_preview_options;
  const message = await ctx.api.sendDocument(ctx.chat.id, file, options);
  return message.message_id;
}
