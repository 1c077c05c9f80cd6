// Platform-neutral values shared by core services, commands and adapters.

export const PLATFORMS = ['console', 'telegram', 'discord'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who sent an update, as the platform knows them. */
export interface UserRef {
  platform: Platform;
  externalId: string;
  displayName: string;
  username?: string;
  /** The platform's idea of the user's language (IETF tag such as 'es' or 'pt-BR'), if it tells. */
  locale?: string;
}

/** Where an update happened: a chat, and inside it optionally a thread or forum topic. */
export interface ConversationRef {
  platform: Platform;
  chatId: string;
  threadId?: string;
  /** true for group chats, servers and channels; false for private chats and the terminal. */
  isGroup: boolean;
}

export function conversationKey(ref: ConversationRef): string {
  return ref.threadId ? `${ref.platform}:${ref.chatId}:${ref.threadId}` : `${ref.platform}:${ref.chatId}`;
}

/** A message the bot sent (or received), as the platform identifies it. */
export interface MessageRef {
  platform: Platform;
  chatId: string;
  messageId: string;
}

/** A paragraph of plain text. Adapters escape it for their markup; \n\n separates paragraphs. */
export interface TextBlock {
  kind: 'text';
  text: string;
}

/** A titled card with labelled fields: a flashcard, a question, a scenario. */
export interface CardBlock {
  kind: 'card';
  title: string;
  description?: string;
  fields: Array<{ label: string; value: string; /** Hide until revealed (spoiler or button). */ hidden?: boolean }>;
  footer?: string;
}

export type Block = TextBlock | CardBlock;

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

/** A button. `data` is an encoded ActionPayload (src/core/actions.ts), short enough for every platform. */
export interface Button {
  label: string;
  data: string;
  style?: ButtonStyle;
}

export interface Reply {
  blocks: Block[];
  /** Rows of buttons (at most 5 rows of 5). */
  buttons?: Button[][];
  /** Show the rating control (1–5) under this reply: reactions on Discord, a keyboard row on Telegram. */
  rateGenerationId?: number;
  /** Open a thread (Discord) or forum topic (Telegram, where allowed) from this message for a simulation. */
  openThread?: { name: string; simulationSessionId: number };
  /** This reply belongs to a simulation session: replies to it continue the role-play. */
  simulationSessionId?: number;
  /** Close/archive the current thread after sending (the end of a simulation). */
  closeThread?: boolean;
  /** Visible only to the requester where the platform allows it (Discord ephemeral). */
  ephemeral?: boolean;
  /** For replies to a button: replace the message that carried the button where the platform allows it. */
  replaceOrigin?: boolean;
  /** A file to send along (export), as bytes. */
  attachment?: { filename: string; mimeType: string; data: Uint8Array };
  /**
   * Audio to send as a voice note (Telegram sendVoice, Discord voice message, terminal: a file under data/files/).
   * Sent after the reply's text blocks (an empty `blocks` means the voice note alone).
   */
  voice?: OutgoingVoice;
}

/** Ogg Opus bytes to send as a voice note. */
export interface OutgoingVoice {
  /** Ogg Opus (the "OggS" container with an Opus stream), as voice notes on Telegram and Discord use. */
  data: Uint8Array;
  /** Length in seconds (from the last Ogg page's granule position: see src/core/audio/ogg-opus.ts). */
  durationSeconds: number;
  /** e.g. "pronounce.ogg". */
  filename: string;
  /** 256 samples 0–255 for Discord's voice-message waveform (src/core/audio/ogg-opus.ts can make one). */
  waveform?: Uint8Array;
}

/**
 * A voice message a learner sent (Telegram voice note, Discord voice message, terminal /voice file:).
 * Described by the platform before download, so the core can refuse a too long or too large one without
 * fetching it; `download()` fetches the bytes (Ogg Opus on Telegram and Discord) when the core decides to use it.
 */
export interface IncomingVoice {
  durationSeconds: number;
  sizeBytes: number;
  mimeType?: string;
  download(): Promise<Uint8Array>;
}

export function textReply(text: string, extra: Partial<Reply> = {}): Reply {
  return { blocks: [{ kind: 'text', text }], ...extra };
}

/** A file a learner sent with a command (e.g. /import), already downloaded by the adapter. */
export interface IncomingAttachment {
  filename: string;
  data: Uint8Array;
}

/** Largest file the bot accepts from a learner. */
export const MAX_INCOMING_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** Where the bot can write to a learner on its own (reminders): a platform and a chat. */
export interface DeliveryTarget {
  platform: Platform;
  chatId: string;
}

export type DeliveryResult = 'sent' | 'blocked' | 'failed';

/** Sends replies without an incoming update (reminders). 'blocked': the learner blocked the bot or left. */
export interface Notifier {
  send(target: DeliveryTarget, replies: Reply[]): Promise<DeliveryResult>;
}
