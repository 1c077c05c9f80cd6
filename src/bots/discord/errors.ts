// Recognising the Discord failures the adapter survives on purpose.
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

export function discordErrorCode(error: unknown): number | string | undefined {
  if (error instanceof DiscordAPIError) return error.code;
  return typeof error === 'object' && error !== null && 'code' in error ? (error as { code: number | string }).code : undefined;
}

/** The interaction token is no longer valid (acknowledged too late, or older than 15 minutes). */
export function isExpiredInteraction(error: unknown): boolean {
  return discordErrorCode(error) === RESTJSONErrorCodes.UnknownInteraction || discordErrorCode(error) === RESTJSONErrorCodes.UnknownWebhook;
}

export function isMissingPermission(error: unknown): boolean {
  const code = discordErrorCode(error);
  return code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.MissingAccess;
}

export function isUnknownMessage(error: unknown): boolean {
  const code = discordErrorCode(error);
  return code === RESTJSONErrorCodes.UnknownMessage || code === RESTJSONErrorCodes.UnknownChannel;
}

/** For logs: the code and message only (discord.js errors carry the request URL, which may hold a token). */
export function describeError(error: unknown): { code?: number | string; message: string } {
  const code = discordErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return { ...(code !== undefined ? { code } : {}), message: message.replace(/\/(interactions|webhooks)\/(\d+)\/[\w.-]+/g, '/$1/$2/[token]') };
}

/** The chat is gone or closed to the bot (DMs closed, user blocked the bot, channel deleted or hidden). */
export function isChatGone(error: unknown): boolean {
  const code = discordErrorCode(error);
  if (
    code === RESTJSONErrorCodes.CannotSendMessagesToThisUser ||
    code === RESTJSONErrorCodes.UnknownChannel ||
    code === RESTJSONErrorCodes.UnknownUser ||
    code === RESTJSONErrorCodes.MissingAccess
  ) {
    return true;
  }
  return error instanceof DiscordAPIError && (error.status === 403 || error.status === 404);
}
