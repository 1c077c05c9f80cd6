import { createLogger, type Logger } from '../../src/logger.ts';

/** How many warnings and errors the bench's loggers received, and the first few of them. */
export interface BotWarnings {
  count: number;
  first: string[];
}

const KEPT = 5;
let warnings: BotWarnings = { count: 0, first: [] };

/** A log line in one short line: its level, message and error (the bot logs no learner's text, so none shows here). */
function summary(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { type?: string; message?: string } };
    const err = entry.err ? ` (${entry.err.type ?? 'error'}: ${String(entry.err.message ?? '').slice(0, 160)})` : '';
    return `${entry.level === 40 ? 'warn' : 'error'} "${entry.msg ?? ''}"${err}`;
  } catch {
    return line.slice(0, 200);
  }
}

/**
 * The project's logger with no output: the same code paths (child loggers, redaction setup). Debug and info
 * lines are dropped; warnings and errors are counted, and the first few kept, so that a load with failures
 * can say what the bot saw (takeBotWarnings).
 */
export function silentLogger(): Logger {
  return createLogger('warn', {
    write: (line: string) => {
      warnings.count++;
      if (warnings.first.length < KEPT) warnings.first.push(summary(line));
    },
  });
}

/** The warnings and errors logged since the last call. */
export function takeBotWarnings(): BotWarnings {
  const taken = warnings;
  warnings = { count: 0, first: [] };
  return taken;
}

/** " The bot logged 3 warning(s) or error(s): …; …" to add to a note, or '' when there were none. */
export function describeBotWarnings(w: BotWarnings): string {
  return w.count === 0 ? '' : ` The bot logged ${w.count} warning(s) or error(s): ${w.first.join('; ')}${w.count > w.first.length ? '; …' : ''}`;
}
