// The Discord adapter: connects the client, routes gateway events to the handlers and tracks the work in
// flight so that stop() can let it finish (bounded) before disconnecting.
import { Events, type Client } from 'discord.js';
import type { PlatformAdapter } from '../adapter.ts';
import type { DeliveryResult, Reply } from '../../core/types.ts';
import type { TutorFrontDoor } from '../../commands/front-door.ts';
import type { Logger } from '../../logger.ts';
import { createDiscordClient } from './client.ts';
import { createContext, type DiscordContext } from './context.ts';
import { describeError } from './errors.ts';
import { handleInteraction } from './interactions.ts';
import { handleMessage } from './messages.ts';
import { sendToChat } from './outbound.ts';
import { handleReaction, reactionEvent, uncachedDmReaction } from './reactions.ts';

export interface DiscordAdapterOptions {
  token: string;
  /** Only checked against the application the token belongs to (a mismatch is logged). */
  applicationId?: string;
  /** DISCORD_API_BASE_URL: REST base for a local fake or proxy, e.g. http://127.0.0.1:PORT/api. */
  apiBaseUrl?: string;
  frontDoor: TutorFrontDoor;
  logger: Logger;
  /** Whether the privileged MessageContent intent is enabled for this bot (Developer Portal). */
  messageContentIntent: boolean;
  /** How long stop() waits for in-flight updates. */
  stopTimeoutMs?: number;
}

export function createDiscordAdapter(options: DiscordAdapterOptions): PlatformAdapter {
  const logger = options.logger.child({ platform: 'discord' });
  let client: Client | undefined;
  let ctx: DiscordContext | undefined;
  let accepting = false;
  const inFlight = new Set<Promise<void>>();

  const track = (what: string, work: () => Promise<void>) => {
    if (!accepting || !ctx) return;
    const promise = work()
      .catch((error: unknown) => logger.error({ error: describeError(error), what }, 'discord: unhandled error'))
      .finally(() => inFlight.delete(promise));
    inFlight.add(promise);
  };

  const send = async (chatId: string, replies: Reply[]): Promise<DeliveryResult> => {
    if (!accepting || !ctx) return 'failed';
    const sending = sendToChat(ctx, chatId, replies);
    const done = sending.then(() => undefined).finally(() => inFlight.delete(done));
    inFlight.add(done);
    return sending;
  };

  return {
    platform: 'discord',

    async start() {
      if (client) throw new Error('discord adapter already started');
      const c = createDiscordClient({ messageContentIntent: options.messageContentIntent, ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}) });
      client = c;
      c.on(Events.Error, (error) => logger.error({ error: describeError(error) }, 'discord: client error'));
      c.on(Events.Warn, (message) => logger.warn({ message }, 'discord: client warning'));
      c.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code }, 'discord: gateway disconnected'));
      c.on(Events.InteractionCreate, (interaction) => track('interaction', () => handleInteraction(ctx!, interaction)));
      c.on(Events.MessageCreate, (message) => track('message', () => handleMessage(ctx!, message)));
      c.on(Events.MessageReactionAdd, (reaction, user) => track('reaction', () => handleReaction(ctx!, reactionEvent(reaction, user, true))));
      c.on(Events.MessageReactionRemove, (reaction, user) => track('reaction', () => handleReaction(ctx!, reactionEvent(reaction, user, false))));
      // Emitted before discord.js handles the packet, so the cache check sees what discord.js will see.
      c.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
        const event = ctx && uncachedDmReaction(ctx, packet);
        if (event) track('reaction', () => handleReaction(ctx!, event));
      });

      // The context exists before the first event can arrive: set up synchronously in the ready handler.
      const ready = new Promise<Client<true>>((resolve) =>
        c.once(Events.ClientReady, (readyClient) => {
          ctx = createContext({ client: readyClient, frontDoor: options.frontDoor, logger, messageContentIntent: options.messageContentIntent });
          accepting = true;
          resolve(readyClient);
        }),
      );
      try {
        await c.login(options.token);
      } catch (error) {
        client = undefined;
        // The message never contains the token; the error object may carry request details, so log only this.
        logger.error({ error: describeError(error) }, 'discord: login failed');
        throw new Error(`Discord login failed: ${describeError(error).message}`);
      }
      const readyClient = await ready;
      if (options.applicationId && options.applicationId !== readyClient.application.id) {
        logger.warn({ configured: options.applicationId, actual: readyClient.application.id }, 'discord: DISCORD_APPLICATION_ID does not match the token');
      }
      logger.info({ user: readyClient.user.id, guilds: readyClient.guilds.cache.size }, 'discord: ready');
    },

    async stop() {
      accepting = false;
      if (inFlight.size) {
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.stopTimeoutMs ?? 10_000).unref());
        await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      }
      const c = client;
      client = undefined;
      ctx = undefined;
      if (c) await c.destroy();
    },

    isConnected() {
      return !!client?.isReady();
    },

    send,
  };
}
