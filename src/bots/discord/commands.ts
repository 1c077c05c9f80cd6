// Encodes the platform-neutral command definitions as Discord slash commands (the JSON that
// PUT /applications/{app}/commands takes). The same definitions drive the Telegram and terminal adapters.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { AnyCommand, OptionDef } from '../../commands/define.ts';
import { CEFR_LEVELS } from '../../core/language.ts';
import { truncate } from './text.ts';

/** Discord's limits for command definitions (checked again by the contract test and the fake). */
export const COMMAND_LIMITS = {
  name: /^[-_\p{L}\p{N}]{1,32}$/u,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  stringLength: 6000,
} as const;

export type SlashCommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

export function buildSlashCommands(commands: readonly AnyCommand[]): SlashCommandJson[] {
  return commands.map(buildSlashCommand);
}

export function buildSlashCommand(command: AnyCommand): SlashCommandJson {
  // Discord rejects a required option after an optional one; the sort is stable so authors' order survives.
  const options = [...command.options]
    .sort((a, b) => Number(!!b.required) - Number(!!a.required))
    .slice(0, COMMAND_LIMITS.options)
    .map(buildOption);
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name.toLowerCase(),
    description: describe(command.description, command.name),
    options,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

function buildOption(option: OptionDef): APIApplicationCommandBasicOption {
  const base = {
    name: option.name.toLowerCase(),
    description: describe(option.description, option.name),
    required: !!option.required,
  };
  switch (option.type) {
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(option.min !== undefined ? { min_value: option.min } : {}),
        ...(option.max !== undefined ? { max_value: option.max } : {}),
        ...(option.choices ? { choices: option.choices.slice(0, 25).map((c) => ({ name: truncate(c.name, 100), value: Number(c.value) })) } : {}),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'level':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        choices: (option.choices ?? CEFR_LEVELS.map((level) => ({ name: level, value: level }))).slice(0, 25).map(choice),
      };
    case 'language':
      // Choices and autocomplete are exclusive: fixed choices win, else suggest common languages while typing.
      return option.choices
        ? { ...base, type: ApplicationCommandOptionType.String, choices: option.choices.slice(0, 25).map(choice), ...lengths(option) }
        : { ...base, type: ApplicationCommandOptionType.String, autocomplete: true, ...lengths(option) };
    case 'attachment':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(option.choices ? { choices: option.choices.slice(0, 25).map(choice) } : {}),
        ...lengths(option),
      };
  }
}

function choice(c: { readonly name: string; readonly value: string }) {
  return { name: truncate(c.name, COMMAND_LIMITS.choiceName), value: truncate(c.value, COMMAND_LIMITS.choiceValue) };
}

function lengths(option: OptionDef): { min_length?: number; max_length?: number } {
  const clamp = (n: number) => Math.max(0, Math.min(COMMAND_LIMITS.stringLength, n));
  return {
    ...(option.minLength !== undefined ? { min_length: clamp(option.minLength) } : {}),
    ...(option.maxLength !== undefined ? { max_length: Math.max(1, clamp(option.maxLength)) } : {}),
  };
}

/** Descriptions must be 1–100 characters. */
function describe(description: string, fallback: string): string {
  const text = description.trim() || fallback;
  return truncate(text, COMMAND_LIMITS.description);
}
