import { randomBytes } from 'node:crypto';
// Credentials of the real shapes for the tests that check they never reach a log, built at run time so that
// no literal in the source looks like a real bot token or API key (secret scanners flag those).

/** A Telegram bot token: `<bot id>:<secret>`. */
export function telegramToken(botId: string, secret: string): string {
  return `${botId}:${secret}`;
}

/** An OpenAI project key: `sk-proj-<secret>`. */
export function openaiProjectKey(secret: string): string {
  return ['sk', 'proj', secret].join('-');
}

/** A Discord bot token: `<base64 bot id>.<timestamp>.<hmac>`. */
export function discordToken(botIdBase64: string, stamp: string, hmac: string): string {
  return [botIdBase64, stamp, hmac].join('.');
}

/** An OpenAI key of the older `sk-<secret>` shape. */
export function openaiKey(secret: string): string {
  return ['sk', secret].join('-');
}

/** An operator's ADMIN_TOKEN (random, at least 16 characters). */
export function adminToken(): string {
  return ['admin', randomBytes(18).toString('base64url')].join('-');
}
