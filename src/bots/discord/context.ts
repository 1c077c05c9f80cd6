// What every Discord handler shares: the client, the front door, the logger and a little adapter state.
import type { Client } from 'discord.js';
import type { Incoming, TutorFrontDoor } from '../../commands/front-door.ts';
import { createI18n, type Translator } from '../../core/i18n/index.ts';
import type { Logger } from '../../logger.ts';
import { describeError } from './errors.ts';
import { createKeyedQueue } from './keyed-queue.ts';

export interface DiscordContext {
  client: Client<true>;
  frontDoor: TutorFrontDoor;
  logger: Logger;
  messageContentIntent: boolean;
  /** Threads this process opened for simulations (older ones are recognised by owner = the bot). */
  simulationThreads: Set<string>;
  /** Serialises work per key (reactions of one learner on one message). */
  serialize: ReturnType<typeof createKeyedQueue>;
  translator(incoming: Incoming, timeoutMs?: number): Promise<Translator>;
  /** For messages the bot sends on its own (no learner to ask the language of). */
  defaultTranslator: Translator;
}

export function createContext(parts: Omit<DiscordContext, 'simulationThreads' | 'serialize' | 'translator' | 'defaultTranslator'>): DiscordContext {
  const fallback = createI18n();
  return {
    ...parts,
    defaultTranslator: fallback.translator('en'),
    simulationThreads: new Set(),
    serialize: createKeyedQueue(),
    // The learner's own translator, or the platform locale's when the core cannot answer (in time: a
    // modal must be shown within Discord's 3 s and cannot be deferred).
    async translator(incoming, timeoutMs) {
      try {
        const pending = parts.frontDoor.translator(incoming);
        if (!timeoutMs) return await pending;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`translator took longer than ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          return await Promise.race([pending, timeout]);
        } finally {
          clearTimeout(timer);
        }
      } catch (error) {
        incoming.log.warn({ error: describeError(error) }, 'discord: falling back to the locale translator');
        return fallback.translator(incoming.user.locale);
      }
    },
  };
}
