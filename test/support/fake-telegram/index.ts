// Fake Telegram Bot API for tests: see server.ts.
export { createFakeTelegram, FakeTelegram, type DeliveredMessage, type Fault, type FakeTelegramOptions, type RecordedCall, type Update } from './server.ts';
export { parseTelegramHtml, HtmlParseError } from './telegram-html.ts';
export { DEFAULT_FAKE_RATE_LIMITS, type FakeRateLimits } from './rate-limits.ts';
export { ALLOWED_REACTIONS } from './validate.ts';
export type { FakeChat, FakeUser, TgMessage } from './state.ts';
export type { UpdateBody, TextOptions, VoiceNote } from './update-builders.ts';
