// A small in-test TutorFrontDoor (a plain object, no module mocking): it records every call and answers
// with replies each test can set, optionally after a delay (to prove the 3-second acknowledgement).
import { defineCommand, type AnyCommand } from '../../../src/commands/define.ts';
import type { Incoming, RawArgs, TextOptions, TutorFrontDoor } from '../../../src/commands/front-door.ts';
import { createI18n } from '../../../src/core/i18n/index.ts';
import type { ConversationRef, IncomingAttachment, IncomingVoice, MessageRef, Reply } from '../../../src/core/types.ts';

const noRun = async (): Promise<Reply[]> => [];

/** Shapes like the real registry: a rest option, integers with bounds, level and language options. */
export const STUB_COMMANDS: AnyCommand[] = [
  defineCommand({ name: 'help', description: 'List the commands', options: [], run: noRun }),
  defineCommand({
    name: 'flashcards',
    description: 'Flashcards on a topic',
    slow: true,
    options: [
      { name: 'lang', description: 'Language to learn', type: 'language' },
      { name: 'topic', description: 'What it should be about', type: 'string', rest: true, required: true, minLength: 1, maxLength: 500 },
      { name: 'level', description: 'Level', type: 'level' },
      { name: 'count', description: 'How many cards', type: 'integer', min: 1, max: 20 },
    ],
    run: noRun,
  }),
  defineCommand({
    name: 'simulate',
    description: 'Start a role-play conversation',
    slow: true,
    options: [{ name: 'topic', description: 'The situation', type: 'string', rest: true, required: true }],
    run: noRun,
  }),
  defineCommand({ name: 'end', description: 'End the role-play', options: [], inSimulation: true, run: noRun }),
  defineCommand({
    name: 'save',
    description: 'Save the latest content',
    options: [
      { name: 'label', description: 'A short name', type: 'string', rest: true, maxLength: 100 },
      { name: 'notes', description: 'Your notes', type: 'string', maxLength: 1000 },
      { name: 'generation', description: 'Which content', type: 'integer', min: 1 },
    ],
    run: noRun,
  }),
  defineCommand({
    name: 'import',
    description: 'Import saved items from a file',
    options: [
      { name: 'file', description: 'An export file', type: 'attachment', required: true },
      { name: 'note', description: 'A note', type: 'string' },
    ],
    run: noRun,
  }),
  Object.assign(
    defineCommand({
      name: 'settings',
      description: 'Show or change your settings',
      options: [{ name: 'corrections', description: 'Correct my mistakes', type: 'boolean' }],
      run: noRun,
    }),
    { ephemeral: true },
  ),
];

export type Call =
  | { method: 'command'; incoming: Incoming; name: string; args: RawArgs; attachment?: IncomingAttachment }
  | { method: 'text'; incoming: Incoming; text: string; options: TextOptions }
  | { method: 'voice'; incoming: Incoming; options: TextOptions }
  | { method: 'action'; incoming: Incoming; data: string }
  | { method: 'reaction'; incoming: Incoming; message: MessageRef; rating: number | null }
  | { method: 'sent'; message: MessageRef; reply: Reply }
  | { method: 'threadOpened'; sessionId: number; thread: ConversationRef };

export interface StubFrontDoor extends TutorFrontDoor {
  calls: Call[];
  of<M extends Call['method']>(method: M): Array<Extract<Call, { method: M }>>;
  /** Milliseconds every command/text/action waits before answering. */
  delayMs: number;
  onCommand: (name: string, args: RawArgs, incoming: Incoming) => Reply[] | Promise<Reply[]>;
  onText: (text: string, options: TextOptions, incoming: Incoming) => Reply[] | null | Promise<Reply[] | null>;
  onAction: (data: string, incoming: Incoming) => Reply[] | Promise<Reply[]>;
  onVoice: (incoming: Incoming & { voice: IncomingVoice }, options: TextOptions) => Reply[] | null | Promise<Reply[] | null>;
}

export function createStubFrontDoor(commands: readonly AnyCommand[] = STUB_COMMANDS): StubFrontDoor {
  const i18n = createI18n();
  const wait = (ms: number) => (ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
  const stub: StubFrontDoor = {
    commands,
    calls: [],
    delayMs: 0,
    of(method) {
      return stub.calls.filter((c) => c.method === method) as never;
    },
    onCommand: (name) => [{ blocks: [{ kind: 'text', text: `ran ${name}` }] }],
    onText: (text, options) => (options.addressed ? [{ blocks: [{ kind: 'text', text: `heard: ${text}` }] }] : null),
    onAction: (data) => [{ blocks: [{ kind: 'text', text: `pressed ${data}` }], ephemeral: true }],
    onVoice: (incoming, options) => (options.addressed ? [{ blocks: [{ kind: 'text', text: `voice: ${incoming.voice.durationSeconds}s` }] }] : null),
    async command(incoming, name, args, attachment) {
      stub.calls.push({ method: 'command', incoming, name, args, ...(attachment ? { attachment } : {}) });
      await wait(stub.delayMs);
      return stub.onCommand(name, args, incoming);
    },
    async text(incoming, text, options) {
      stub.calls.push({ method: 'text', incoming, text, options });
      await wait(stub.delayMs);
      return stub.onText(text, options, incoming);
    },
    async voice(incoming, options) {
      stub.calls.push({ method: 'voice', incoming, options });
      await wait(stub.delayMs);
      return stub.onVoice(incoming, options);
    },
    async action(incoming, data) {
      stub.calls.push({ method: 'action', incoming, data });
      await wait(stub.delayMs);
      return stub.onAction(data, incoming);
    },
    async reaction(incoming, message, rating) {
      stub.calls.push({ method: 'reaction', incoming, message, rating });
      return [];
    },
    async sent(message, reply) {
      stub.calls.push({ method: 'sent', message, reply });
    },
    async threadOpened(sessionId, thread) {
      stub.calls.push({ method: 'threadOpened', sessionId, thread });
    },
    async translator(incoming) {
      return i18n.translator(incoming.user.locale);
    },
  };
  return stub;
}
