// One root pino logger (JSON). Each update gets a child logger with platform, chat, user and command.
// Tokens and API keys are redacted wherever they appear as fields.
import { pino, type Logger, type DestinationStream } from 'pino';
import { join } from 'node:path';

export type { Logger };

export const REDACT_PATHS = [
  'token',
  'apiKey',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  'config.OPENAI_API_KEY',
  'config.TELEGRAM_BOT_TOKEN',
  'config.DISCORD_TOKEN',
  'config.TELEGRAM_WEBHOOK_SECRET',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tutor-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** Removes bot tokens and bearer keys from free text (error messages from HTTP clients can contain URLs with tokens). */
export function scrubSecrets(text: string): string {
  return String(text ?? '')
    .replace(/bot\d{5,}:[A-Za-z0-9_-]{20,}/g, 'bot[redacted]')
    .replace(/\b\d{6,}:[A-Za-z0-9_-]{30,}\b/g, '[redacted]')
    .replace(/Bearer\s+[A-Za-z0-9._-]+/gi, 'Bearer [redacted]')
    .replace(/\bsk-[A-Za-z0-9_-]{10,}/g, 'sk-[redacted]');
}

/**
 * Where the terminal chat logs: JSON lines on stderr would interleave with the conversation in the same
 * terminal, so they go to a file under data/ unless LOG_FILE asks otherwise (a path, or `stderr`).
 * Synchronous: a chat session logs little, and nothing is lost when the process exits.
 */
export function chatLogDestination(logFile: string | undefined, root: string): { destination: DestinationStream; path?: string } {
  if (logFile === 'stderr') return { destination: pino.destination({ dest: 2, sync: false }) };
  const path = logFile ?? join(root, 'data', 'logs', 'chat.log');
  try {
    return { destination: pino.destination({ dest: path, mkdir: true, sync: true }), path };
  } catch (error) {
    process.stderr.write(`Cannot write logs to ${path} (${(error as Error).message}); logging to stderr.\n`);
    return { destination: pino.destination({ dest: 2, sync: false }) };
  }
}
