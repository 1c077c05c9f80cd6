// Publishes the command list in Telegram's "/" menu (setMyCommands). Best effort: failure is logged, never fatal.
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { Logger } from '../../logger.ts';
import type { AnyCommand } from '../../commands/define.ts';
import { truncate } from './render-reply.ts';
import { describeError } from './errors.ts';

/** Telegram's rules: names 1–32 of [a-z0-9_], descriptions 1–256 characters, at most 100 commands. */
const TELEGRAM_COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const MAX_DESCRIPTION = 256;
const MAX_COMMANDS = 100;

export function toBotCommands(commands: readonly AnyCommand[], log: Logger): BotCommand[] {
  const result: BotCommand[] = [];
  for (const command of commands) {
    if (!TELEGRAM_COMMAND_NAME.test(command.name)) {
      // Neutral names may contain '-', which Telegram's menu rejects; the command still works when typed.
      log.warn({ command: command.name }, 'telegram: command name not valid for the command menu, left out');
      continue;
    }
    const description = truncate(command.description.trim() || command.name, MAX_DESCRIPTION);
    result.push({ command: command.name, description });
  }
  return result.slice(0, MAX_COMMANDS);
}

export async function registerCommands(api: Api, commands: readonly AnyCommand[], log: Logger): Promise<void> {
  try {
    const list = toBotCommands(commands, log);
    await api.setMyCommands(list);
    log.info({ count: list.length }, 'telegram: command menu set');
  } catch (err) {
    log.warn({ err: describeError(err) }, 'telegram: setMyCommands failed (the bot still works)');
  }
}
