// Where rendered messages go: an interaction's deferred reply and follow-ups, or a channel.
import {
  MessageFlags,
  type Message,
  type MessageCreateOptions,
  type MessageEditOptions,
  type MessageReplyOptions,
  type RepliableInteraction,
  type SendableChannels,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import { LIMITS, type RenderedMessage } from './render.ts';
import { truncatePlain } from './text.ts';
import { sendVoiceOrAudio } from './voice-out.ts';
import { editOriginal, followUpJson, sentFromMessage, type JsonMessage, type SentMessage } from './webhook-messages.ts';

export interface ReplyTarget {
  /** Sends one rendered message. `replaceOrigin` edits the message that carried a pressed button. */
  send(message: RenderedMessage, options?: { replaceOrigin?: boolean }): Promise<SentMessage>;
  /** Removes a deferred "thinking…" placeholder that no reply replaced. */
  finish(): Promise<void>;
}

// Content that comes from learners or the model must never ping anyone.
const NO_PINGS = { parse: [] as [], repliedUser: false };

/** A message without files goes as plain JSON (webhook-messages.ts); one with files through discord.js. */
function json(message: RenderedMessage): JsonMessage | undefined {
  if (message.files.length > 0) return undefined;
  return { content: message.content ?? '', embeds: message.embeds, components: message.components };
}

function body(message: RenderedMessage) {
  return {
    content: message.content ?? '',
    embeds: message.embeds,
    components: message.components,
    files: message.files.map((file) => ({ attachment: file.data, name: file.name })),
    allowedMentions: NO_PINGS,
  };
}

/**
 * `mode` says how the interaction was acknowledged: 'reply' (deferReply, a placeholder to replace) or
 * 'update' (deferUpdate on a button: @original is the button's message).
 */
export function interactionTarget(interaction: RepliableInteraction, mode: 'reply' | 'update', deferredEphemeral: boolean): ReplyTarget {
  let placeholder = mode === 'reply';
  const followUp = async (message: RenderedMessage): Promise<SentMessage> => {
    const plain = json(message);
    if (plain) return followUpJson(interaction, plain, message.ephemeral);
    return sentFromMessage(
      await interaction.followUp({ ...body(message), ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) } as InteractionReplyOptions),
    );
  };
  const edit = async (message: RenderedMessage): Promise<SentMessage> => {
    const plain = json(message);
    if (plain) return editOriginal(interaction, plain);
    return sentFromMessage(await interaction.editReply(body(message) as InteractionEditReplyOptions));
  };
  return {
    async send(message, options) {
      if (message.voice) {
        // A voice message cannot be made by editing (neither the placeholder nor the button's message).
        if (placeholder) {
          placeholder = false;
          await interaction.deleteReply().catch(() => undefined);
        }
        const voice = message.voice;
        return sentFromMessage(await sendVoiceOrAudio((payload) => interaction.followUp(payload as InteractionReplyOptions), voice, message.ephemeral));
      }
      if (placeholder) {
        placeholder = false;
        // The placeholder's visibility was fixed at defer time. When the reply wants the other one, delete it
        // first: a follow-up sent while the placeholder exists would replace it and inherit its visibility.
        if (message.ephemeral === deferredEphemeral) return edit(message);
        await interaction.deleteReply().catch(() => undefined);
        return followUp(message);
      }
      if (mode === 'update' && options?.replaceOrigin) {
        // The button's message may be gone (deleted by the learner or a moderator: 10008 Unknown Message).
        // Without this the reply, and every reply after it (the next question), would be lost: send it anew.
        return edit(message).catch((error: unknown) => {
          if ((error as { code?: unknown } | null)?.code !== 10008) throw error;
          return followUp(message);
        });
      }
      return followUp(message);
    },
    async finish() {
      if (!placeholder) return;
      placeholder = false;
      await interaction.deleteReply().catch(() => undefined);
    },
  };
}

/**
 * Channel messages cannot be ephemeral; the first one answers `replyTo` (without pinging its author), or replaces
 * `progress`, the reply that showed the answer while it was written.
 */
export function channelTarget(channel: SendableChannels, replyTo?: Message, progress?: Message): ReplyTarget {
  let first = true;
  return {
    async send(message) {
      return sentFromMessage(await sendToChannel(message));
    },
    async finish() {},
  };

  async function sendToChannel(message: RenderedMessage): Promise<Message> {
    // Sent alone, not as a reply: the first text message already answers the learner's message.
    if (message.voice) return sendVoiceOrAudio((payload) => channel.send(payload as MessageCreateOptions), message.voice, false);
    const payload = body(message);
    if (first && progress) {
      first = false;
      return (progress.edit(payload as MessageEditOptions) as Promise<Message>).catch((error: unknown): Promise<Message> => {
        // The progress message was deleted meanwhile (10008 Unknown Message): the answer is sent anew.
        if ((error as { code?: unknown } | null)?.code !== 10008) throw error;
        return channel.send(payload as MessageCreateOptions);
      });
    }
    if (first && replyTo) {
      first = false;
      return replyTo.reply({ ...payload, failIfNotExists: false } as MessageReplyOptions);
    }
    first = false;
    return channel.send(payload as MessageCreateOptions);
  }
}

/** A one-line notice from the adapter's own strings. */
export function note(text: string, ephemeral = false): RenderedMessage {
  return { content: truncatePlain(text, LIMITS.content), embeds: [], components: [], files: [], ephemeral };
}
