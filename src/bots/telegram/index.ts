// Public API of the Telegram adapter.
export { createTelegramAdapter, ALLOWED_UPDATES, type TelegramAdapter, type TelegramAdapterOptions, type TelegramWebhookOptions } from './adapter.ts';
export { RATING_EMOJI, ratingFromReactionChange } from './reaction-rating.ts';
export { DEFAULT_THROTTLE_LIMITS, type ThrottleLimits } from './throttle.ts';
