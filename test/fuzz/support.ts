// Shared by the fuzz suites: a recording wrapper around the real front door that knows, for every LLM call,
// which front-door call caused it (AsyncLocalStorage through the LLM client), case generators for hostile
// input, and the checks every adapter's fuzz run makes.
import { AsyncLocalStorage } from 'node:async_hooks';
import { expect } from 'vitest';
import type { AnyCommand } from '../../src/commands/define.ts';
import type { TutorFrontDoor } from '../../src/commands/front-door.ts';
import type { MessageKey } from '../../src/core/i18n/index.ts';
import type { Reply } from '../../src/core/types.ts';
import type { TestCore } from '../support/core.ts';
import { replyText } from '../support/incoming.ts';
import { hostileText, hostileValue, nearValidAction, PROMPT_INJECTIONS, randomBytesString, UNICODE_EDGES, type Prng } from '../support/prng.ts';
import { message, sleep } from '../faults/helpers.ts';

/** Commands that may call the LLM (when their input is valid). Plain text may too: a simulation turn. */
export const GENERATION_COMMANDS = new Set(['flashcards', 'exercises', 'simulate', 'curriculum', 'lesson']);

/** Replies that mean "your input was refused before anything ran" — such a call must not reach the LLM. */
export const VALIDATION_KEYS: MessageKey[] = [
  'errors.unknownCommand',
  'errors.unknownOption',
  'errors.optionMissing',
  'errors.optionEmpty',
  'errors.optionTooLong',
  'errors.optionTooShort',
  'errors.optionInteger',
  'errors.optionBoolean',
  'errors.optionChoice',
  'errors.unknownLanguage',
  'errors.unknownLanguageSuggest',
  'errors.unknownLevel',
  'errors.unexpectedText',
  'errors.optionTwice',
  'errors.turnTooLong',
  'errors.textTooLong',
  'errors.staleButton',
  'errors.notAvailable',
];
const VALIDATION_PATTERNS = VALIDATION_KEYS.map((key) => message(key));
export const isValidationRefusal = (text: string) => VALIDATION_PATTERNS.some((pattern) => pattern.test(text));

export interface CallRecord {
  id: number;
  method: 'command' | 'text' | 'voice' | 'action' | 'reaction';
  /** Command name (command, or text starting with a known /name) or undefined. */
  name?: string;
  input: string;
  replies?: Reply[] | null;
  error?: unknown;
  llmCalls: number;
}

/**
 * Wraps the core's front door: records every call and its replies, and counts the LLM calls each one made
 * (the core's LLM client is patched to read the calling front-door call from AsyncLocalStorage).
 */
export function spyFrontDoor(tc: TestCore): { frontDoor: TutorFrontDoor; calls: CallRecord[]; orphanLlmCalls: () => number } {
  const store = new AsyncLocalStorage<CallRecord>();
  const calls: CallRecord[] = [];
  let orphans = 0;
  const llm = tc.core.llm as { generate: (...args: unknown[]) => Promise<unknown> };
  const generate = llm.generate.bind(llm);
  llm.generate = (...args: unknown[]) => {
    const call = store.getStore();
    if (call) call.llmCalls += 1;
    else orphans += 1;
    return generate(...args);
  };
  const real = tc.frontDoor;
  const names = new Set(real.commands.map((c) => c.name));
  const commandName = (text: string) => {
    const name = /^\s*\/([A-Za-z0-9_-]{1,32})/.exec(text)?.[1]?.toLowerCase();
    return name && names.has(name) ? name : undefined;
  };
  const record = async <T extends Reply[] | null>(call: Omit<CallRecord, 'id' | 'llmCalls'>, run: () => Promise<T>): Promise<T> => {
    const entry: CallRecord = { ...call, id: calls.length, llmCalls: 0 };
    calls.push(entry);
    try {
      const replies = await store.run(entry, run);
      entry.replies = replies;
      return replies;
    } catch (error) {
      entry.error = error;
      throw error;
    }
  };
  const frontDoor: TutorFrontDoor = {
    commands: real.commands,
    command: (incoming, name, args, attachment) =>
      record({ method: 'command', name: name.toLowerCase(), input: JSON.stringify(args) }, () => real.command(incoming, name, args, attachment)),
    text: (incoming, text, options) => {
      const name = commandName(text);
      return record({ method: 'text', ...(name ? { name } : {}), input: text }, () => real.text(incoming, text, options));
    },
    voice: (incoming, options) => record({ method: 'voice', input: `${incoming.voice.durationSeconds}s` }, () => real.voice(incoming, options)),
    action: (incoming, data) => record({ method: 'action', input: data }, () => real.action(incoming, data)),
    reaction: (incoming, ref, rating) => record({ method: 'reaction', input: `${ref.messageId}:${rating}` }, () => real.reaction(incoming, ref, rating)),
    sent: (ref, reply) => real.sent(ref, reply),
    threadOpened: (sessionId, thread) => real.threadOpened(sessionId, thread),
    translator: (incoming) => real.translator(incoming),
  };
  return { frontDoor, calls, orphanLlmCalls: () => orphans };
}

/**
 * The checks every fuzz run makes on the recorded calls: none threw (the front door turns failures into
 * replies), every command got a non-empty reply, no LLM call for input refused by validation, and LLM calls
 * only from generation commands or plain text (a simulation turn).
 */
export function checkCalls(calls: CallRecord[], orphanLlmCalls: number, logs: Array<Record<string, unknown>> = []): { llmCalls: number; refused: number } {
  expect(calls.filter((c) => c.error !== undefined).map((c) => `${c.method} ${c.input.slice(0, 80)}: ${String(c.error)}`)).toEqual([]);
  const unanswered = calls.filter((c) => (c.method === 'command' || c.method === 'action') && (!c.replies || c.replies.length === 0 || !replyText(c.replies).trim()));
  expect(unanswered.map((c) => `${c.method} ${c.input.slice(0, 80)}`)).toEqual([]);
  const refusedWithLlm = calls.filter((c) => c.llmCalls > 0 && isValidationRefusal(replyText(c.replies ?? null)));
  expect(refusedWithLlm.map((c) => `${c.method} ${c.input.slice(0, 80)}`)).toEqual([]);
  const llmFromElsewhere = calls.filter((c) => c.llmCalls > 0 && !(c.name !== undefined ? GENERATION_COMMANDS.has(c.name) : c.method === 'text'));
  expect(llmFromElsewhere.map((c) => `${c.method} ${c.name ?? ''} ${c.input.slice(0, 80)}`)).toEqual([]);
  expect(orphanLlmCalls).toBe(0);
  // Internal errors are bugs. The logged error behind a reply's reference helps to tell which.
  const loggedError = (c: CallRecord) => {
    const ref = /\(ref ([A-Z0-9]+)\)/.exec(replyText(c.replies ?? null))?.[1];
    const logged = ref ? logs.find((line) => line.ref === ref) : undefined;
    return logged?.err as { code?: string; message?: string } | undefined;
  };
  const internal = calls.filter((c) => /Something went wrong on my side/.test(replyText(c.replies ?? null)));
  expect(internal.map((c) => `${c.method} ${c.input.slice(0, 120)} → ${String(loggedError(c)?.message ?? '?').trim().split('\n').slice(-2).join(' ').slice(0, 300)}`)).toEqual([]);
  return { llmCalls: calls.reduce((n, c) => n + c.llmCalls, 0), refused: calls.filter((c) => isValidationRefusal(replyText(c.replies ?? null))).length };
}

/** Well-formed arguments for a command's options (sometimes), else hostile ones. */
export function argsFor(prng: Prng, command: AnyCommand, validBias: number): Record<string, string | number | boolean> {
  const args: Record<string, string | number | boolean> = {};
  for (const option of command.options) {
    if (option.type === 'attachment') continue;
    const include = option.required ? prng.bool(0.9) : prng.bool(0.4);
    if (!include) continue;
    args[option.name] = prng.bool(validBias) ? validValue(prng, option) : hostileValue(prng);
  }
  if (prng.bool(0.05)) args[prng.pick(['key', 'x', 'topics', 'LANG', ''])] = hostileValue(prng);
  return args;
}

function validValue(prng: Prng, option: AnyCommand['options'][number]): string | number | boolean {
  switch (option.type) {
    case 'integer':
      return prng.int(option.min ?? 1, Math.min(option.max ?? 5, (option.min ?? 1) + 4));
    case 'boolean':
      return prng.bool();
    case 'language':
      return prng.pick(['es', 'fr', 'de', 'Spanish', 'italiano']);
    case 'level':
      return prng.pick(['A1', 'B2', 'beginner']);
    case 'string':
      return option.choices ? prng.pick(option.choices).value : prng.pick(['kitchen words', 'at the market', 'verbs', 'ordering coffee']);
    default:
      return 'x';
  }
}

/** A "/name body" text: the name real, near-real or invented; the body hostile, options real or garbage. */
export function commandText(prng: Prng, commands: readonly AnyCommand[], validBias: number): string {
  const command = prng.pick(commands);
  const name = prng.bool(0.85) ? command.name : prng.pick([command.name.toUpperCase(), `${command.name}x`, '', 'x'.repeat(40), 'flash cards', 'ñ', `${command.name}@tutor_test_bot`, `${command.name}@OtherBot`]);
  const parts: string[] = [];
  if (prng.bool(validBias)) {
    for (const [key, value] of Object.entries(argsFor(prng, command, 0.7))) {
      const option = command.options.find((o) => o.name === key);
      parts.push(option?.rest && prng.bool(0.5) ? String(value) : `${key}:${typeof value === 'string' && value.includes(' ') && prng.bool(0.5) ? `"${value}"` : value}`);
    }
  } else {
    parts.push(hostileText(prng, 6));
    if (prng.bool(0.5)) parts.push(`${prng.pick([...command.options.map((o) => o.name), 'key', 'lang', 'count'])}:${String(hostileValue(prng))}`);
  }
  return `${prng.bool(0.95) ? '/' : prng.pick([' /', '//', '\u200b/', '／'])}${name} ${parts.join(' ')}`.slice(0, prng.bool(0.98) ? 3000 : 6000);
}

/** Plain (non-command) hostile text: Unicode edge cases, prompt injections, fake tags. */
export function plainText(prng: Prng): string {
  switch (prng.int(0, 5)) {
    case 0:
      return prng.pick(PROMPT_INJECTIONS);
    case 1:
      return prng.string(UNICODE_EDGES, 1, 20);
    case 2:
      return randomBytesString(prng, 200);
    case 3:
      return `Hola, quiero ${prng.pick(['pan', 'café', 'una mesa'])} ${prng.pick(UNICODE_EDGES)}`;
    default:
      return hostileText(prng, 10);
  }
}

/** A button payload: random bytes, near-valid codec strings, real payloads of other learners. */
export function actionData(prng: Prng, known: readonly string[], ids: readonly number[]): string {
  switch (prng.int(0, 4)) {
    case 0:
      return randomBytesString(prng, 120);
    case 1:
    case 2:
      return nearValidAction(prng, ids);
    default:
      return known.length ? prng.pick(known) : nearValidAction(prng, ids);
  }
}

/**
 * Every LLM request's learner text stays inside exactly one <learner_text> pair: no learner input can close
 * the tag early or open another one (prompt injection through fake tags).
 */
export function checkPromptQuoting(requests: ReadonlyArray<{ messages: Array<{ role: string; content: string }> }>): void {
  const bad: string[] = [];
  for (const request of requests) {
    // The system prompt names the tag in its rules; the task messages carry the quoted learner text.
    for (const m of request.messages.filter((x) => x.role !== 'system')) {
      const tags = [...m.content.matchAll(/<\s*\/?\s*learner_text\s*>/gi)].map((x) => x[0]);
      const wellFormed = tags.every((tag, i) => tag === (i % 2 === 0 ? '<learner_text>' : '</learner_text>')) && tags.length % 2 === 0;
      if (!wellFormed) bad.push(m.content.slice(0, 300));
    }
  }
  expect(bad).toEqual([]);
}

/**
 * Waits until nothing happens any more: no platform call (counted by `platformCalls`) and no unfinished
 * front-door call for `quietMs`.
 */
export async function quiescence(spy: { calls: CallRecord[] }, platformCalls: () => number, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const busy = spy.calls.some((c) => c.replies === undefined && c.error === undefined);
    const count = platformCalls() + spy.calls.length;
    if (count !== last || busy) {
      last = count;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`no quiescence within ${timeoutMs} ms`);
    await sleep(50);
  }
}
