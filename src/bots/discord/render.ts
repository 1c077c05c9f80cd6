// Renders a neutral Reply as Discord messages, each within every Discord limit: long text is split at
// paragraph/line boundaries, large cards spread over several embeds and messages, extra buttons overflow.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { encodeAction } from '../../core/actions.ts';
import type { Button, CardBlock, Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { splitPlain, truncate, truncatePlain } from './text.ts';
import { RATING_EMOJIS } from './rating-emojis.ts';
import { renderVoice, type RenderedVoice } from './voice-out.ts';

export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Discord counts title, description, field names/values, footer and author across all embeds of a message. */
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  /** Default upload limit for bots. */
  fileBytes: 10 * 1024 * 1024,
} as const;

const EMBED_COLOR = 0x5865f2;
const BLANK = '\u200b';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  files: Array<{ name: string; data: Buffer }>;
  ephemeral: boolean;
  /** A voice message: sent alone (no content, embeds, components or other files), see voice-out.ts. */
  voice?: RenderedVoice;
}

/** Always at least one message unless the reply is completely empty. */
export function renderReply(reply: Reply, t: Translator): RenderedMessage[] {
  const ephemeral = !!reply.ephemeral;
  const drafts: Array<{ content: string; embeds: APIEmbed[] }> = [];
  let current = { content: '', embeds: [] as APIEmbed[] };
  const flush = () => {
    if (current.content.trim() || current.embeds.length) drafts.push(current);
    current = { content: '', embeds: [] };
  };

  let attachmentNote: string | undefined;
  let voice: RenderedVoice | undefined;
  if (reply.voice) {
    if (reply.voice.data.byteLength <= LIMITS.fileBytes) voice = renderVoice(reply.voice);
    else attachmentNote = t('discord.attachmentTooLarge', { filename: reply.voice.filename });
  }
  let files: RenderedMessage['files'] = [];
  if (reply.attachment) {
    if (reply.attachment.data.byteLength <= LIMITS.fileBytes) {
      files = [{ name: truncate(reply.attachment.filename || 'file', 100), data: Buffer.from(reply.attachment.data) }];
    } else {
      attachmentNote = t('discord.attachmentTooLarge', { filename: reply.attachment.filename });
    }
  }

  for (const block of reply.blocks) {
    if (block.kind === 'text') {
      // Content shows above embeds, so text after a card starts a new message to keep the order.
      if (current.embeds.length) flush();
      // Raw here: escaping happens per message, when the content is split (see splitPlain).
      const text = block.text;
      if (text.trim()) current.content = current.content ? `${current.content}\n\n${text}` : text;
      continue;
    }
    for (const embed of renderCard(block)) {
      if (current.embeds.length >= LIMITS.embedsPerMessage || embedsSize(current.embeds) + embedSize(embed) > LIMITS.embedTotal) flush();
      current.embeds.push(embed);
    }
  }
  if (attachmentNote) {
    if (current.embeds.length) flush();
    current.content = current.content ? `${current.content}\n\n${attachmentNote}` : attachmentNote;
  }
  flush();

  const messages: RenderedMessage[] = [];
  for (const draft of drafts) {
    const chunks = draft.content ? splitPlain(draft.content, LIMITS.content) : [];
    chunks.forEach((chunk, i) => {
      const last = i === chunks.length - 1;
      messages.push({ content: chunk, embeds: last ? draft.embeds : [], components: [], files: [], ephemeral });
    });
    if (!chunks.length) messages.push({ embeds: draft.embeds, components: [], files: [], ephemeral });
  }

  const rows = buttonRows(reply);
  const groups: ButtonRow[][] = [];
  for (let i = 0; i < rows.length; i += LIMITS.rows) groups.push(rows.slice(i, i + LIMITS.rows));
  if (files.length && !messages.length) messages.push({ embeds: [], components: [], files: [], ephemeral });
  if (messages.length) messages[messages.length - 1]!.files = files;
  groups.forEach((group, i) => {
    const last = messages[messages.length - 1];
    if (i === 0 && last) last.components = group;
    else messages.push({ embeds: [], components: group, files: [], ephemeral });
  });
  const rendered = messages.map(dedupeCustomIds);
  // The voice message comes last and alone: the text and buttons above it stay where learners expect them.
  if (voice) rendered.push({ embeds: [], components: [], files: [], ephemeral, voice });
  return rendered;
}

function renderCard(card: CardBlock): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  const title = card.title.trim() ? truncatePlain(card.title, LIMITS.embedTitle) : undefined;
  const descriptions = card.description?.trim() ? splitPlain(card.description, LIMITS.embedDescription) : [];
  let current: APIEmbed = { color: EMBED_COLOR, ...(title ? { title } : {}), ...(descriptions[0] ? { description: descriptions[0] } : {}) };
  for (const description of descriptions.slice(1)) {
    embeds.push(current);
    current = { color: EMBED_COLOR, description };
  }
  for (const field of card.fields.flatMap(renderField)) {
    const fields = current.fields ?? [];
    if (fields.length >= LIMITS.embedFields || embedSize(current) + field.name.length + field.value.length > LIMITS.embedTotal) {
      embeds.push(current);
      current = { color: EMBED_COLOR };
    }
    current.fields = [...(current.fields ?? []), field];
  }
  if (card.footer?.trim()) {
    const text = truncate(card.footer, LIMITS.footer);
    if (embedSize(current) + text.length > LIMITS.embedTotal) {
      embeds.push(current);
      current = { color: EMBED_COLOR };
    }
    current.footer = { text };
  }
  embeds.push(current);
  // An embed needs something to show: a card with only a title is fine, a fully empty one gets a blank.
  return embeds.map((embed) => (embedSize(embed) ? embed : { ...embed, description: BLANK }));
}

/** A long value continues in further fields with a blank name; hidden values become spoilers. */
function renderField(field: CardBlock['fields'][number]): APIEmbedField[] {
  const name = truncatePlain(field.label, LIMITS.fieldName) || BLANK;
  const wrap = field.hidden ? (s: string) => `||${s}||` : (s: string) => s;
  const room = field.hidden ? LIMITS.fieldValue - 4 : LIMITS.fieldValue;
  const chunks = field.value.trim() ? splitPlain(field.value, room) : [];
  if (!chunks.length) return [{ name, value: BLANK }];
  return chunks.map((chunk, i) => ({ name: i === 0 ? name : BLANK, value: wrap(chunk) }));
}

function buttonRows(reply: Reply): ButtonRow[] {
  const rows: Button[][] = [];
  for (const row of reply.buttons ?? []) {
    for (let i = 0; i < row.length; i += LIMITS.buttonsPerRow) rows.push(row.slice(i, i + LIMITS.buttonsPerRow));
  }
  // The rating row rides on the reply itself: five reactions would be five more REST calls per reply, and
  // Discord lets a channel take about four reactions a second (the rest queue behind one another). Last when
  // the rows fit one message, else the last row of the first (long lists such as 🔊 per card overflow instead).
  if (reply.rateGenerationId !== undefined) {
    const generationId = reply.rateGenerationId;
    const ratingRow = RATING_EMOJIS.map((emoji, i) => ({ label: emoji, data: encodeAction({ kind: 'rate', generationId, rating: i + 1 }) }));
    rows.splice(Math.min(rows.length, LIMITS.rows - 1), 0, ratingRow);
  }
  return rows
    .map((row) => row.filter((button) => button.data && button.data.length <= LIMITS.customId).map(renderButton))
    .filter((row) => row.length)
    .map((components) => ({ type: ComponentType.ActionRow, components }));
}

const STYLES = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
} as const;

function renderButton(button: Button): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: button.data,
    label: truncate(button.label.trim() || '…', LIMITS.buttonLabel),
    style: STYLES[button.style ?? 'secondary'],
  };
}

/** Discord rejects a message whose components repeat a custom_id; keep the first. */
function dedupeCustomIds(message: RenderedMessage): RenderedMessage {
  const seen = new Set<string>();
  const components = message.components
    .map((row) => ({
      ...row,
      components: row.components.filter((button) => !seen.has(button.custom_id) && !!seen.add(button.custom_id)),
    }))
    .filter((row) => row.components.length);
  return { ...message, components };
}

export function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

function embedsSize(embeds: APIEmbed[]): number {
  return embeds.reduce((sum, e) => sum + embedSize(e), 0);
}
