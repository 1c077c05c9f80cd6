// The shared text syntax, "/name free text key:value", and validation of arguments from any adapter.
// Validation happens before a handler runs: bad input gets a clear message and costs no LLM call.
import { UserFacingError } from '../core/errors.ts';
import { languageName, resolveLanguage, resolveLevel } from '../core/language.ts';
import { cutText, hasControlCharacters, isBlank } from '../core/safe-text.ts';
import { editDistance } from '../core/language/text.ts';
import type { AnyCommand, OptionDef } from './define.ts';
import type { RawArgs } from './front-door.ts';

/** Longest command text accepted at all (longer input is refused before any parsing work). */
export const MAX_COMMAND_TEXT = 4000;

export interface ParsedCommandText {
  name: string;
  /** The bot username after '@' in '/cmd@BotName', if any. */
  mention?: string;
  body: string;
}

/** '/flashcards@TutorBot kitchen words lang:es' → { name: 'flashcards', mention: 'TutorBot', body: 'kitchen words lang:es' }. */
export function parseCommandText(text: string): ParsedCommandText | undefined {
  const match = /^\/([A-Za-z0-9_-]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), ...(match[2] ? { mention: match[2] } : {}), body: (match[3] ?? '').trim() };
}

const isFreeString = (o: OptionDef) => o.type === 'string' && !o.choices;

/**
 * Splits the body into named options and positional values. A `key:value` is an option only when `key` is
 * one of this command's options; other colons are ordinary text (times, URLs). Values of free-text options
 * run to the next option; other values are one word or a "quoted phrase".
 */
export function parseTextArgs(command: AnyCommand, body: string): RawArgs {
  const byName = new Map(command.options.map((o) => [o.name, o]));
  // Keys may hold a hyphen inside (practice-weak:off), as Discord option names do.
  const keyPattern = /(^|\s)([A-Za-z_](?:[A-Za-z_-]{0,30}[A-Za-z_])?):/g;
  const marks: Array<{ option: OptionDef; start: number; valueStart: number }> = [];
  for (const m of body.matchAll(keyPattern)) {
    const option = byName.get(m[2]!.toLowerCase());
    if (option) marks.push({ option, start: m.index! + m[1]!.length, valueStart: m.index! + m[0].length });
    else refuseMistypedOption(command, m[2]!, body.slice(m.index! + m[0].length));
  }
  const args: RawArgs = {};
  const free: string[] = [];
  let cursor = 0;
  marks.forEach((mark, i) => {
    free.push(body.slice(cursor, mark.start));
    const end = marks[i + 1]?.start ?? body.length;
    const rest = body.slice(mark.valueStart, end);
    let value: string;
    let consumed: number;
    if (isFreeString(mark.option)) {
      value = unquote(rest.trim());
      consumed = rest.length;
    } else {
      const token = /^\s*("([^"]*)"|\S*)/.exec(rest)!;
      value = token[2] ?? token[1] ?? '';
      consumed = token[0].length;
    }
    if (mark.option.name in args) throw new UserFacingError('errors.optionTwice', { option: mark.option.name });
    args[mark.option.name] = value;
    cursor = mark.valueStart + consumed;
  });
  free.push(body.slice(cursor));
  fillPositionals(command, args, free.join(' ').replace(/\s+/g, ' ').trim());
  return args;
}

/** Keys this close to an option name are taken for a typo of it (OSA distance: 'levle' is 1 from 'level'). */
const OPTION_TYPO_DISTANCE = 2;

/**
 * 'levle:B1' is a mistyped option, not part of the topic: sending it to the model would cost a call and
 * ignore what the learner meant. A word directly followed by ':' and a value (no space: prose writes
 * "Note: …") whose key is within OPTION_TYPO_DISTANCE of an option name gets "Did you mean level:B1?".
 * Short names allow less (name length − 2: 'tz' only exactly) and the distance must be smaller than the key
 * ('ba:' is 2 from 'base' but means nothing); a value starting with '//' is a URL. Colons in times and
 * ratios ("10:30", "3:1") never reach here: keys are letters.
 */
function refuseMistypedOption(command: AnyCommand, key: string, after: string): void {
  const value = /^[^\s]+/.exec(after)?.[0];
  if (!value || value.startsWith('//')) return;
  const typed = key.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const option of command.options) {
    const allowed = Math.min(OPTION_TYPO_DISTANCE, option.name.length - 2); // 'tz': exact only
    const distance = editDistance(typed, option.name, OPTION_TYPO_DISTANCE);
    if (distance <= allowed && distance < typed.length && (!best || distance < best.distance)) best = { name: option.name, distance };
  }
  if (!best) return;
  const shownValue = cutText(value, 40);
  throw new UserFacingError('errors.optionTypo', {
    input: `${cutText(key, 32)}:${shownValue}`,
    suggestion: `${best.name}:${shownValue}`,
    command: command.name,
  });
}

function fillPositionals(command: AnyCommand, args: RawArgs, text: string): void {
  const positionals = command.options.filter((o) => o.rest && !(o.name in args));
  let remaining = text;
  for (const [i, option] of positionals.entries()) {
    if (!remaining) return;
    const isLast = i === positionals.length - 1;
    if (isFreeString(option) && isLast) {
      args[option.name] = unquote(remaining);
      remaining = '';
    } else {
      const [word, ...others] = remaining.split(' ');
      args[option.name] = word!;
      remaining = others.join(' ');
    }
  }
  if (remaining) throw new UserFacingError('errors.unexpectedText', { text: cutText(remaining, 60), usage: usage(command) });
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** '/flashcards <topic> [lang:…] [base:…] [level:…] [count:…]' */
export function usage(command: AnyCommand): string {
  const parts = command.options.map((o) => {
    const shape = o.rest ? `<${o.name}>` : `${o.name}:…`;
    return o.required ? shape : `[${shape}]`;
  });
  return [`/${command.name}`, ...parts].join(' ');
}

/** Checks and converts raw values (strings from text, or typed values from Discord) into handler arguments. */
export function validateArgs(command: AnyCommand, raw: RawArgs): Record<string, unknown> {
  const known = new Set(command.options.map((o) => o.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name) && raw[name] !== undefined) {
      throw new UserFacingError('errors.unknownOption', {
        command: command.name,
        option: name,
        options: command.options.map((o) => o.name).join(', ') || '—',
      });
    }
  }
  // An option given without a value (`lang:`) is named first, before a required one that is missing.
  const empty = command.options.find((o) => !o.rest && typeof raw[o.name] === 'string' && (raw[o.name] as string).trim() === '');
  if (empty) throw new UserFacingError('errors.optionEmpty', { option: empty.name });
  const out: Record<string, unknown> = {};
  for (const option of command.options) {
    if (option.type === 'attachment') continue; // arrives as ctx.attachment
    const value = raw[option.name];
    // Control characters (NUL, ESC…) are refused before any model call: PostgreSQL cannot store NUL, and
    // none of them is text a learner means. Text of invisible characters only counts as empty.
    if (typeof value === 'string' && hasControlCharacters(value)) throw new UserFacingError('errors.controlCharacters');
    const text = typeof value === 'string' ? (isBlank(value) ? '' : value.trim()) : value;
    if (text === undefined || text === '') {
      if (option.required) throw new UserFacingError('errors.optionMissing', { option: option.name, usage: usage(command) });
      if (text === '' && !option.rest) throw new UserFacingError('errors.optionEmpty', { option: option.name });
      continue;
    }
    out[option.name] = convert(option, text);
  }
  return out;
}

function convert(option: OptionDef, value: string | number | boolean): unknown {
  const name = option.name;
  switch (option.type) {
    case 'integer': {
      const n = typeof value === 'number' ? value : /^[+-]?\d{1,15}$/.test(String(value)) ? Number(value) : NaN;
      const min = option.min ?? Number.MIN_SAFE_INTEGER;
      const max = option.max ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isSafeInteger(n) || n < min || n > max) throw new UserFacingError('errors.optionInteger', { option: name, min, max });
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const v = String(value).toLowerCase();
      if (['on', 'true', 'yes', '1', 'enable', 'enabled'].includes(v)) return true;
      if (['off', 'false', 'no', '0', 'disable', 'disabled'].includes(v)) return false;
      throw new UserFacingError('errors.optionBoolean', { option: name });
    }
    case 'language': {
      const input = String(value);
      const resolved = resolveLanguage(input);
      if (resolved.ok) return resolved.code;
      const shown = cutText(input, 40);
      if (resolved.suggestions.length === 0) throw new UserFacingError('errors.unknownLanguage', { input: shown });
      throw new UserFacingError('errors.unknownLanguageSuggest', {
        input: shown,
        suggestions: resolved.suggestions.map((c) => `${languageName(c)} (${c})`).join(', '),
      });
    }
    case 'level': {
      const resolved = resolveLevel(String(value));
      if (!resolved.ok) throw new UserFacingError('errors.unknownLevel', { input: cutText(String(value), 40) });
      return resolved.level;
    }
    case 'attachment':
      return undefined;
    case 'string': {
      const s = String(value);
      if (option.choices) {
        const choice = option.choices.find((c) => c.value.toLowerCase() === s.toLowerCase() || c.name.toLowerCase() === s.toLowerCase());
        if (!choice) throw new UserFacingError('errors.optionChoice', { option: name, choices: option.choices.map((c) => c.value).join(', ') });
        return choice.value;
      }
      const length = [...s].length;
      if (option.maxLength !== undefined && length > option.maxLength) {
        throw new UserFacingError('errors.optionTooLong', { option: name, length, max: option.maxLength });
      }
      if (option.minLength !== undefined && length < option.minLength) {
        throw new UserFacingError('errors.optionTooShort', { option: name, min: option.minLength });
      }
      return s;
    }
  }
}
