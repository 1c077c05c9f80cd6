// Checks the Bot API applies to outgoing content: text length after entity parsing, keyboards, reactions.
import { HtmlParseError, parseTelegramHtml, type ParsedEntity } from './telegram-html.ts';

export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
export const MAX_CALLBACK_DATA_BYTES = 64;
export const MAX_BUTTONS = 100;
export const MAX_CALLBACK_ANSWER = 200;
/** Bots upload files up to 50 MB and download (getFile) up to 20 MB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/**
 * sendVoice wants Ogg with Opus inside: an Ogg page ("OggS") whose first packet is the "OpusHead" header.
 * Telegram would file other formats as audio or documents; a voice note that is not one is a bug here.
 */
export function checkVoiceFile(bytes: Buffer): void {
  if (bytes.length > MAX_UPLOAD_BYTES) throw new ApiError(413, 'Request Entity Too Large');
  if (bytes.length < 28 + 8 || bytes.subarray(0, 4).toString('latin1') !== 'OggS') throw badRequest('VOICE_INVALID: not an OGG file');
  const segments = bytes[26]!;
  const body = 27 + segments;
  if (bytes.subarray(body, body + 8).toString('latin1') !== 'OpusHead') throw badRequest('VOICE_INVALID: the OGG file has no Opus stream');
}

/**
 * The duration in whole seconds. Telegram would measure a missing one itself; this fake insists on it, so an
 * adapter that forgets it (the voice note would show 0:00 until played on some clients) is caught.
 */
export function checkVoiceDuration(raw: unknown): number {
  const duration = Number(raw);
  if (raw === undefined || !Number.isInteger(duration) || duration < 1) throw badRequest('fake-telegram: sendVoice needs duration, a positive whole number of seconds');
  return duration;
}

/** The fixed reaction set bots and users may use (notes/platform-limits.md). */
export const ALLOWED_REACTIONS = new Set(
  '👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡'.split(' '),
);

export interface FormattedText {
  text: string;
  entities: ParsedEntity[];
}

/** Applies parse_mode, then Telegram's length rules. */
export function formatText(raw: unknown, parseMode: unknown, max: number, allowEmpty = false): FormattedText {
  if (raw === undefined && allowEmpty) return { text: '', entities: [] };
  if (typeof raw !== 'string') throw badRequest('message text is empty');
  let formatted: FormattedText = { text: raw, entities: [] };
  if (parseMode === 'HTML') {
    try {
      formatted = parseTelegramHtml(raw);
    } catch (err) {
      if (err instanceof HtmlParseError) throw badRequest(`can't parse entities: ${err.message}`);
      throw err;
    }
  } else if (parseMode !== undefined) {
    throw badRequest(`unsupported parse_mode in this fake: ${String(parseMode)}`);
  }
  if (formatted.text.trim() === '' && !allowEmpty) throw badRequest('message text is empty');
  if (formatted.text.length > max) throw badRequest(max === MAX_TEXT ? 'message is too long' : 'message caption is too long');
  return formatted;
}

export function validateReplyMarkup(markup: unknown): void {
  if (markup === undefined) return;
  const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(keyboard) || keyboard.some((row) => !Array.isArray(row))) throw badRequest("can't parse inline keyboard button: field \"inline_keyboard\" must be an Array of Arrays");
  let count = 0;
  for (const row of keyboard as unknown[][]) {
    for (const button of row as Array<Record<string, unknown>>) {
      count += 1;
      if (typeof button.text !== 'string' || button.text.trim() === '') throw badRequest('text buttons are unallowed in the inline keyboard');
      const data = button.callback_data;
      if (data !== undefined) {
        const bytes = typeof data === 'string' ? Buffer.byteLength(data) : 0;
        if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
      } else if (button.url === undefined) {
        throw badRequest('BUTTON_TYPE_INVALID');
      }
    }
  }
  if (count > MAX_BUTTONS) throw badRequest('BUTTONS_TOO_MUCH');
}

export function validateCommands(commands: unknown): void {
  if (!Array.isArray(commands) || commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  for (const command of commands as Array<Record<string, unknown>>) {
    if (typeof command.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command.command)) throw badRequest('BOT_COMMAND_INVALID');
    const description = command.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
}
