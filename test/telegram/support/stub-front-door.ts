// A small hand-written TutorFrontDoor for adapter tests: scripted answers, and a log of every call.
import type { Incoming, RawArgs, TextOptions, TutorFrontDoor } from '../../../src/commands/front-door.ts';
import type { AnyCommand } from '../../../src/commands/define.ts';
import type { ConversationRef, IncomingVoice, MessageRef, Reply } from '../../../src/core/types.ts';
import { createI18n } from '../../../src/core/i18n/index.ts';

export type StubCall =
  | { kind: 'text'; incoming: Incoming; text: string; options: TextOptions }
  | { kind: 'command'; incoming: Incoming; name: string; args: RawArgs }
  | { kind: 'voice'; incoming: Incoming; options: TextOptions }
  | { kind: 'action'; incoming: Incoming; data: string }
  | { kind: 'reaction'; incoming: Incoming; message: MessageRef; rating: number | null }
  | { kind: 'sent'; message: MessageRef; reply: Reply }
  | { kind: 'threadOpened'; sessionId: number; thread: ConversationRef };

export interface StubScript {
  text?(incoming: Incoming, text: string, options: TextOptions): Reply[] | null | Promise<Reply[] | null>;
  action?(incoming: Incoming, data: string): Reply[] | Promise<Reply[]>;
  reaction?(incoming: Incoming, message: MessageRef, rating: number | null): Reply[] | Promise<Reply[]>;
  voice?(incoming: Incoming & { voice: IncomingVoice }, options: TextOptions): Reply[] | null | Promise<Reply[] | null>;
  commands?: AnyCommand[];
}

export function command(name: string, description: string): AnyCommand {
  return { name, description, options: [], run: async () => [] };
}

export const DEFAULT_COMMANDS = [
  command('start', 'Start learning'),
  command('flashcards', 'Make flashcards on a topic'),
  command('simulate', 'Start a role-play'),
];

export interface StubFrontDoor {
  frontDoor: TutorFrontDoor;
  calls: StubCall[];
  of<K extends StubCall['kind']>(kind: K): Array<Extract<StubCall, { kind: K }>>;
}

export function createStubFrontDoor(script: StubScript = {}): StubFrontDoor {
  const calls: StubCall[] = [];
  const i18n = createI18n();
  const frontDoor: TutorFrontDoor = {
    commands: script.commands ?? DEFAULT_COMMANDS,
    async command(incoming, name, args) {
      calls.push({ kind: 'command', incoming, name, args });
      return [];
    },
    async text(incoming, text, options) {
      calls.push({ kind: 'text', incoming, text, options });
      if (script.text) return script.text(incoming, text, options);
      // Like the real front door: unaddressed plain text is not for the bot.
      return options.addressed ? [{ blocks: [{ kind: 'text', text: `echo: ${text}` }] }] : null;
    },
    async voice(incoming, options) {
      calls.push({ kind: 'voice', incoming, options });
      if (script.voice) return script.voice(incoming, options);
      return options.addressed ? [{ blocks: [{ kind: 'text', text: `voice: ${incoming.voice.durationSeconds}s` }] }] : null;
    },
    async action(incoming, data) {
      calls.push({ kind: 'action', incoming, data });
      return script.action ? script.action(incoming, data) : [];
    },
    async reaction(incoming, message, rating) {
      calls.push({ kind: 'reaction', incoming, message, rating });
      return script.reaction ? script.reaction(incoming, message, rating) : [];
    },
    async sent(message, reply) {
      calls.push({ kind: 'sent', message, reply });
    },
    async threadOpened(sessionId, thread) {
      calls.push({ kind: 'threadOpened', sessionId, thread });
    },
    async translator(incoming) {
      return i18n.translator(incoming.user.locale);
    },
  };
  return {
    frontDoor,
    calls,
    of: (kind) => calls.filter((call) => call.kind === kind) as never,
  };
}
