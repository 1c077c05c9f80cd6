// Two kinds of failure. A UserFacingError is the learner's to read: a message key and parameters,
// translated by the i18n catalogue. Anything else is internal: logged with context, and the learner
// sees a short generic message with a reference id — internal error text never reaches the chat.
import type { MessageKey } from './i18n/index.ts';

export class UserFacingError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'UserFacingError';
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}

/** A short id the learner can quote and an operator can find in the logs. */
export function errorReference(): string {
  return Math.random().toString(36).slice(2, 8).toUpperCase();
}
