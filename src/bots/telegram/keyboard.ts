// Builds the inline keyboard of a reply: its own buttons, then (for rateable replies) the 1–5 rating row
// and a Save button when the reply has none. Telegram allows 100 buttons and 64 bytes of callback_data.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from '../../logger.ts';
import type { Reply } from '../../core/types.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { decodeAction, encodeAction, MAX_ACTION_BYTES } from '../../core/actions.ts';
import { RATING_EMOJI } from './reaction-rating.ts';

export const MAX_BUTTONS = 100;
/** Telegram shows at most 8 buttons in one row. */
export const MAX_BUTTONS_PER_ROW = 8;

function callbackButton(text: string, data: string): InlineKeyboardButton {
  return { text, callback_data: data };
}

function isValidData(data: string): boolean {
  const bytes = Buffer.byteLength(data);
  return bytes >= 1 && bytes <= MAX_ACTION_BYTES;
}

export function buildKeyboard(reply: Reply, t: Translator, log: Logger): InlineKeyboardMarkup | undefined {
  const rows: InlineKeyboardButton[][] = [];
  for (const row of reply.buttons ?? []) {
    const buttons = row.filter((button) => {
      const ok = isValidData(button.data) && button.label.trim() !== '';
      // A bad button is a core bug; dropping it keeps the rest of the reply deliverable.
      if (!ok) log.error({ label: button.label, bytes: Buffer.byteLength(button.data) }, 'telegram: dropped an invalid button');
      return ok;
    });
    for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW) {
      rows.push(buttons.slice(i, i + MAX_BUTTONS_PER_ROW).map((b) => callbackButton(b.label, b.data)));
    }
  }

  const generationId = reply.rateGenerationId;
  if (generationId !== undefined) {
    rows.push(
      RATING_EMOJI.map((emoji, i) =>
        callbackButton(t('telegram.rateButton', { emoji, rating: i + 1 }), encodeAction({ kind: 'rate', generationId, rating: i + 1 })),
      ),
    );
    const hasSave = (reply.buttons ?? []).some((row) => row.some((button) => decodeAction(button.data)?.kind === 'save'));
    if (!hasSave) rows.push([callbackButton(t('telegram.save'), encodeAction({ kind: 'save', generationId }))]);
  }

  let budget = MAX_BUTTONS;
  const limited: InlineKeyboardButton[][] = [];
  for (const row of rows) {
    const kept = row.slice(0, Math.max(0, budget));
    budget -= row.length;
    if (kept.length > 0) limited.push(kept);
  }
  if (budget < 0) log.error({ buttons: MAX_BUTTONS - budget }, 'telegram: keyboard cut to 100 buttons');
  return limited.length > 0 ? { inline_keyboard: limited } : undefined;
}
