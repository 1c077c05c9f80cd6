import { createLogger, type Logger } from '../../src/logger.ts';

/** The project's logger at level silent: the same code paths (child loggers, redaction setup), no output. */
export function silentLogger(): Logger {
  return createLogger('silent', { write: () => {} });
}
