// Decodes slash command options back into the neutral RawArgs the front door validates.
import type { ChatInputCommandInteraction, CommandInteractionOption } from 'discord.js';
import type { AnyCommand } from '../../commands/define.ts';
import type { RawArgs } from '../../commands/front-door.ts';

export function decodeOptions(command: AnyCommand, options: readonly CommandInteractionOption[]): RawArgs {
  const args: RawArgs = {};
  for (const def of command.options) {
    // A file option's value is an attachment id: the file itself travels separately (see attachments.ts).
    if (def.type === 'attachment') continue;
    const option = options.find((o) => o.name === def.name.toLowerCase());
    const value = option?.value;
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') args[def.name] = value;
  }
  return args;
}

export function findCommand(commands: readonly AnyCommand[], interaction: ChatInputCommandInteraction): AnyCommand | undefined {
  return commands.find((c) => c.name.toLowerCase() === interaction.commandName);
}

/**
 * Whether a command's replies are private (deferred ephemerally). CommandDef has no such flag yet, so an
 * optional `ephemeral: true` on a definition is honoured; everything else is public by default.
 */
export function isPrivateCommand(command: AnyCommand | undefined): boolean {
  return (command as { ephemeral?: unknown } | undefined)?.ephemeral === true;
}
