// An interaction's text answers (the edit of its deferred reply, its follow-ups) sent as JSON through discord.js's
// own REST client (same rate limits, retries and errors), without discord.js's MessagePayload and the Message
// object it builds from every answer. This is the Discord request path's hottest call: see docs/benchmarks.md,
// "Ninth pass". Answers with files still go through discord.js (multipart bodies, attachments' metadata).
import {
  MessageFlags,
  Routes,
  type APIEmbed,
  type APIMessage,
  type Message,
  type RepliableInteraction,
} from 'discord.js';
import type { ButtonRow } from './render.ts';

/** What the adapter needs of a message it sent: where it is, and whether only the learner sees it. */
export interface SentMessage {
  id: string;
  channelId: string;
  ephemeral: boolean;
}

export interface JsonMessage {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
}

// Content that comes from learners or the model must never ping anyone.
const NO_PINGS = { parse: [], replied_user: false };

export function sentFromMessage(message: Message): SentMessage {
  return { id: message.id, channelId: message.channelId, ephemeral: message.flags.has(MessageFlags.Ephemeral) };
}

function sentFromApi(raw: APIMessage): SentMessage {
  return { id: raw.id, channelId: raw.channel_id, ephemeral: ((raw.flags ?? 0) & MessageFlags.Ephemeral) !== 0 };
}

// Called only once the interaction was acknowledged (deferReply or deferUpdate), as editReply and followUp require.

/**
 * Replaces the interaction's original message (the deferred placeholder, or the button's message after
 * deferUpdate) wholly, as discord.js's editReply does: `attachments: []` drops the files it carried.
 */
export async function editOriginal(interaction: RepliableInteraction, message: JsonMessage): Promise<SentMessage> {
  const raw = (await interaction.client.rest.patch(Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'), {
    body: { ...message, allowed_mentions: NO_PINGS, attachments: [] },
    auth: false,
  })) as APIMessage;
  interaction.replied = true;
  return sentFromApi(raw);
}

/** A new message after the original one; `ephemeral` only the learner sees. */
export async function followUpJson(interaction: RepliableInteraction, message: JsonMessage, ephemeral: boolean): Promise<SentMessage> {
  const raw = (await interaction.client.rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
    body: { ...message, allowed_mentions: NO_PINGS, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
    query: new URLSearchParams({ wait: 'true' }),
    auth: false,
  })) as APIMessage;
  interaction.replied = true;
  return sentFromApi(raw);
}
