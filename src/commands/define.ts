// Platform-neutral command definitions. Each adapter renders the same definition: Discord as a slash
// command, Telegram and the terminal as "/name free text key:value". Handler argument types are inferred
// from the literal option list.
import type { CefrLevel } from '../core/language.ts';
import type { Reply } from '../core/types.ts';
import type { CommandContext } from './context.ts';

/** 'attachment': a file the learner sends (Discord attachment option; Telegram document with the command as caption;
 * terminal `file:<path>`). Its value reaches the handler as ctx.attachment, never as an argument. */
export type OptionType = 'string' | 'integer' | 'boolean' | 'language' | 'level' | 'attachment';

export interface OptionDef {
  /** Lowercase, 1–32 of [a-z0-9_-]: valid as a Discord option and as a `key:` in text. */
  readonly name: string;
  /** ≤ 100 characters (Discord's limit). */
  readonly description: string;
  readonly type: OptionType;
  readonly required?: boolean;
  /**
   * Positional in text syntax: filled in order from the words after the command name
   * (`/lesson 2 exercises`); a string positional that comes last takes all remaining text (`/flashcards kitchen words`).
   * Discord shows every option as a named option.
   */
  readonly rest?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** Fixed choices (≤ 25). */
  readonly choices?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

type ValueOf<O extends OptionDef> = O['type'] extends 'attachment'
  ? never
  : O['type'] extends 'integer'
  ? number
  : O['type'] extends 'boolean'
    ? boolean
    : O['type'] extends 'level'
      ? CefrLevel
      : string;

/** Arguments as a handler receives them: required options are present, others may be undefined. */
export type ArgsOf<O extends readonly OptionDef[]> = {
  [K in O[number] as K['type'] extends 'attachment' ? never : K['name']]: K['required'] extends true ? ValueOf<K> : ValueOf<K> | undefined;
};

export interface CommandDef<O extends readonly OptionDef[] = readonly OptionDef[]> {
  /** Lowercase, 1–32 of [a-z0-9_-]. */
  readonly name: string;
  /** ≤ 100 characters. */
  readonly description: string;
  readonly options: O;
  /** Calls the LLM: adapters acknowledge at once and show progress (defer, typing…). */
  readonly slow?: boolean;
  /** Only meaningful inside a simulation's conversation (shown in help, not hidden). */
  readonly inSimulation?: boolean;
  /** Replies are for the requester only: Discord defers privately (no public "thinking…"). */
  readonly ephemeral?: boolean;
  run(ctx: CommandContext, args: ArgsOf<O>): Promise<Reply[]>;
}

export type AnyCommand = CommandDef<readonly OptionDef[]>;

export function defineCommand<const O extends readonly OptionDef[]>(def: CommandDef<O>): AnyCommand {
  return def as unknown as AnyCommand;
}
