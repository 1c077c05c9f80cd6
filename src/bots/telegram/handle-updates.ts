// The update handlers: decode an update, call the front door, deliver the replies. One chat's updates run
// in order (sequentialize); different chats run in parallel. Handlers never throw.
import { randomBytes } from 'node:crypto';
import type { Bot, Context } from 'grammy';
import type { CallbackQuery, Chat, Message, MessageReactionUpdated } from 'grammy/types';
import { sequentialize } from '@grammyjs/runner';
import type { Logger } from '../../logger.ts';
import type { Incoming, TutorFrontDoor } from '../../commands/front-door.ts';
import { MAX_INCOMING_ATTACHMENT_BYTES, type IncomingAttachment, type Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { decodeTextMessage, decodeVoiceMessage, toConversationRef, toMessageRef, toUserRef, topicOf, type DecodedText, type DecodedVoice } from './decode-update.ts';
import { TELEGRAM_DOWNLOAD_LIMIT_BYTES, toIncomingVoice, voiceDownloadable } from './voice-in.ts';
import { deliverReplies, type DeliveryChat, type DeliveryContext } from './deliver-replies.ts';
import { ratingFromReactionChange } from './reaction-rating.ts';
import { renderPlainText, truncate } from './render-reply.ts';
import { startTyping } from './typing.ts';
import { startProgress, type DraftSupport, type TelegramProgress } from './progress.ts';
import { FileTooLargeError, type FileDownloader } from './download-file.ts';
import { describeError } from './errors.ts';

/** Telegram's limit for answerCallbackQuery text. */
const MAX_CALLBACK_TEXT = 200;
/** Longer notices are shown as an alert (stays until dismissed) rather than a toast that vanishes. */
const ALERT_FROM_LENGTH = 64;
/** Stop the button's spinner if the front door is slow; typing… keeps showing progress. */
const CALLBACK_ANSWER_DEADLINE_MS = 5000;

export interface HandlerDeps {
  frontDoor: TutorFrontDoor;
  logger: Logger;
  botTopics: Set<string>;
  downloadFile: FileDownloader;
  /** Whether this process found sendMessageDraft refused (then progress edits a message instead). */
  drafts: DraftSupport;
}

function deliveryChat(chat: Chat): DeliveryChat {
  return { id: chat.id, type: chat.type, isForum: 'is_forum' in chat && chat.is_forum === true };
}

function updateLogger(deps: HandlerDeps, ctx: Context, chatId: number, userId: number): Logger {
  return deps.logger.child({ platform: 'telegram', chatId: String(chatId), userId: String(userId), updateId: ctx.update.update_id });
}

/** An error the learner should hear about: logged with a reference the learner can quote. */
async function reportFailure(deps: HandlerDeps, incoming: Incoming, err: unknown): Promise<{ t: Translator; notice: string } | undefined> {
  const ref = randomBytes(4).toString('hex');
  incoming.log.error({ err: describeError(err), ref }, 'telegram: handling the update failed');
  try {
    const t = await deps.frontDoor.translator(incoming);
    return { t, notice: t('errors.internal', { ref }) };
  } catch {
    return undefined;
  }
}

/** In a group, whether the user is its creator or an administrator (getChatMember, asked only when needed). */
function adminCheck(ctx: Context, chat: Chat, userId: number, log: Logger): Pick<Incoming, 'isChatAdmin'> {
  if (chat.type === 'private') return {};
  return {
    isChatAdmin: async () => {
      try {
        const member = await ctx.api.getChatMember(chat.id, userId);
        return member.status === 'creator' || member.status === 'administrator';
      } catch (err) {
        log.warn({ err: describeError(err) }, 'telegram: getChatMember failed; not treated as an admin');
        return false;
      }
    },
  };
}

export function registerHandlers(bot: Bot, deps: HandlerDeps): void {
  bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  // Edits are not re-answered; an edit of a message from long ago must simply be harmless.
  bot.on('edited_message', () => undefined);
  bot.on('message', (ctx) => handleMessage(ctx, ctx.message, deps));
  bot.on('callback_query', (ctx) => handleCallbackQuery(ctx, ctx.callbackQuery, deps));
  bot.on('message_reaction', (ctx) => handleReaction(ctx, ctx.messageReaction, deps));
}

async function handleMessage(ctx: Context, message: Message, deps: HandlerDeps): Promise<void> {
  const from = message.from;
  if (!from || from.is_bot) return;
  const log = updateLogger(deps, ctx, message.chat.id, from.id);
  const bot = { id: ctx.me.id, username: ctx.me.username };
  const decoded: DecodedText | (DecodedVoice & { kind: 'voice' }) = message.voice
    ? { kind: 'voice', ...decodeVoiceMessage(message, bot, deps.botTopics) }
    : decodeTextMessage(message, bot, deps.botTopics);
  if (decoded.kind === 'ignore') {
    log.debug({ reason: decoded.reason }, 'telegram: message ignored');
    return;
  }
  const threadId = topicOf(message);
  const base: Incoming = { user: toUserRef(from), conversation: toConversationRef(message.chat, threadId), log, ...adminCheck(ctx, message.chat, from.id, log) };
  // A slow answer shows as it is written (drafts in private chats, else one edited message).
  const progress: TelegramProgress | undefined = decoded.addressed
    ? startProgress({
        api: ctx.api,
        chat: deliveryChat(message.chat),
        ...(threadId !== undefined ? { threadId } : {}),
        ...(message.chat.type !== 'private' ? { replyToMessageId: message.message_id } : {}),
        log,
        translator: () => deps.frontDoor.translator(base),
        drafts: deps.drafts,
      })
    : undefined;
  const incoming: Incoming = progress ? { ...base, progress: (view) => progress.show(view) } : base;
  if (decoded.kind === 'voice') {
    log.info({ seconds: message.voice!.duration, bytes: message.voice!.file_size, addressed: decoded.addressed }, 'telegram: voice message');
  } else {
    log.info(
      { command: decoded.isCommand ? decoded.text.split(/\s/, 1)[0] : undefined, length: decoded.text.length, addressed: decoded.addressed },
      'telegram: text message',
    );
  }

  // Only show typing… when an answer is likely: unaddressed group chatter usually gets none.
  const stopTyping = decoded.addressed ? startTyping(ctx.api, message.chat.id, threadId, log) : () => undefined;
  const delivery = (t: Translator, progressMessageId?: number): DeliveryContext => ({
    api: ctx.api,
    frontDoor: deps.frontDoor,
    incoming,
    log,
    t,
    chat: deliveryChat(message.chat),
    ...(threadId !== undefined ? { threadId } : {}),
    replyToMessageId: message.message_id,
    ...(progressMessageId !== undefined ? { originMessageId: progressMessageId } : {}),
    botTopics: deps.botTopics,
  });
  const notice = async (text: (t: Translator) => string) => {
    const t = await deps.frontDoor.translator(incoming);
    await deliverReplies(delivery(t), [{ blocks: [{ kind: 'text', text: text(t) }] }]);
  };
  try {
    let replies: Reply[] | null;
    if (decoded.kind === 'voice') {
      const voice = message.voice!;
      // Telegram will not hand the bot a file over 20 MB: say so at once instead of failing on getFile.
      if (!voiceDownloadable(voice)) {
        log.info({ bytes: voice.file_size }, 'telegram: voice message over the download limit, refused');
        if (decoded.addressed) await notice((t) => t('voice.tooLarge', { max: TELEGRAM_DOWNLOAD_LIMIT_BYTES / 1024 / 1024 }));
        return;
      }
      replies = await deps.frontDoor.voice(
        { ...incoming, voice: toIncomingVoice(voice, deps.downloadFile) },
        { addressed: decoded.addressed, ...(decoded.replyTo ? { replyTo: decoded.replyTo } : {}) },
      );
    } else {
      let attachment: IncomingAttachment | undefined;
      if (message.document) {
        attachment = await downloadAttachment(deps, message.document);
        if (!attachment) {
          await notice((t) => t('errors.fileTooLarge', { max: Math.floor(MAX_INCOMING_ATTACHMENT_BYTES / 1024 / 1024) }));
          return;
        }
      }
      replies = await deps.frontDoor.text(incoming, decoded.text, {
        addressed: decoded.addressed,
        ...(decoded.replyTo ? { replyTo: decoded.replyTo } : {}),
        ...(attachment ? { attachment } : {}),
      });
    }
    const progressMessageId = await progress?.finish();
    if (!replies || replies.length === 0) return;
    // The final reply replaces the progress message (edit fallback); after drafts it is simply sent.
    const final = progressMessageId !== undefined ? [{ ...replies[0]!, replaceOrigin: true }, ...replies.slice(1)] : replies;
    await deliverReplies(delivery(await deps.frontDoor.translator(incoming), progressMessageId), final);
  } catch (err) {
    const failure = await reportFailure(deps, incoming, err);
    if (failure && decoded.addressed) await deliverReplies(delivery(failure.t), [{ blocks: [{ kind: 'text', text: failure.notice }] }]);
  } finally {
    stopTyping();
    await progress?.finish();
  }
}

/** The document sent with a command; undefined when it is over the size limit (checked before downloading). */
async function downloadAttachment(deps: HandlerDeps, document: NonNullable<Message['document']>): Promise<IncomingAttachment | undefined> {
  if (document.file_size !== undefined && document.file_size > MAX_INCOMING_ATTACHMENT_BYTES) return undefined;
  try {
    return { filename: document.file_name ?? 'file', data: await deps.downloadFile(document.file_id) };
  } catch (err) {
    if (err instanceof FileTooLargeError) return undefined;
    throw err;
  }
}

async function handleCallbackQuery(ctx: Context, query: CallbackQuery, deps: HandlerDeps): Promise<void> {
  let answered = false;
  const answer = async (text?: string) => {
    if (answered) return;
    answered = true;
    const options = text ? { text: truncate(text, MAX_CALLBACK_TEXT), show_alert: text.length > ALERT_FROM_LENGTH } : {};
    await ctx.api.answerCallbackQuery(query.id, options).catch((err: unknown) => {
      deps.logger.debug({ err: describeError(err) }, 'telegram: answerCallbackQuery failed');
    });
  };
  const origin = query.message;
  if (query.data === undefined || origin === undefined) {
    // Game or inline-mode buttons: not ours, but the spinner must still stop.
    await answer();
    return;
  }
  const log = updateLogger(deps, ctx, origin.chat.id, query.from.id);
  const threadId = origin.date === 0 ? undefined : topicOf(origin as Message);
  const incoming: Incoming = { user: toUserRef(query.from), conversation: toConversationRef(origin.chat, threadId), log, ...adminCheck(ctx, origin.chat, query.from.id, log) };
  log.info({ data: query.data }, 'telegram: button pressed');

  const stopTyping = startTyping(ctx.api, origin.chat.id, threadId, log);
  const deadline = setTimeout(() => void answer(), CALLBACK_ANSWER_DEADLINE_MS);
  try {
    const replies = await deps.frontDoor.action(incoming, query.data);
    const t = await deps.frontDoor.translator(incoming);
    const notices = replies.filter((reply) => reply.ephemeral);
    let others: Reply[] = replies.filter((reply) => !reply.ephemeral);
    if (notices.length > 0) {
      if (answered) {
        // Too late for a toast: show the notice as a message instead.
        others = replies;
      } else {
        await answer(notices.map((reply) => renderPlainText(reply, t, MAX_CALLBACK_TEXT)).join('\n'));
      }
    }
    await answer();
    await deliverReplies(
      {
        api: ctx.api,
        frontDoor: deps.frontDoor,
        incoming,
        log,
        t,
        chat: deliveryChat(origin.chat),
        ...(threadId !== undefined ? { threadId } : {}),
        // Only a text message can be replaced with editMessageText: a document (an export) or an inaccessible
        // message would only earn a refused call ("no text in the message to edit") before the new message.
        ...('text' in origin && origin.text !== undefined ? { originMessageId: origin.message_id } : {}),
        botTopics: deps.botTopics,
      },
      others,
    );
  } catch (err) {
    await answer((await reportFailure(deps, incoming, err))?.notice);
  } finally {
    clearTimeout(deadline);
    stopTyping();
    await answer();
  }
}

async function handleReaction(ctx: Context, update: MessageReactionUpdated, deps: HandlerDeps): Promise<void> {
  // Anonymous admins react as a chat (actor_chat) and bots' reactions never arrive; only people rate.
  const user = update.user;
  if (!user || user.is_bot) return;
  const rating = ratingFromReactionChange(update.old_reaction, update.new_reaction);
  if (rating === undefined) return;
  const log = updateLogger(deps, ctx, update.chat.id, user.id);
  const incoming: Incoming = { user: toUserRef(user), conversation: toConversationRef(update.chat), log };
  log.info({ messageId: update.message_id, rating }, 'telegram: rating reaction');
  try {
    const replies = await deps.frontDoor.reaction(incoming, toMessageRef(update.chat.id, update.message_id), rating);
    if (replies.length === 0) return;
    await deliverReplies(
      {
        api: ctx.api,
        frontDoor: deps.frontDoor,
        incoming,
        log,
        t: await deps.frontDoor.translator(incoming),
        chat: deliveryChat(update.chat),
        botTopics: deps.botTopics,
      },
      replies,
    );
  } catch (err) {
    await reportFailure(deps, incoming, err);
  }
}
