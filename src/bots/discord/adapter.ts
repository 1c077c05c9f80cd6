// The Discord adapter: connects the client, routes gateway events to the handlers and tracks the work in
// flight so that stop() can let it finish (bounded) before disconnecting.
import { Events, type Client } from 'discord.js';
import type { PlatformAdapter } from '../adapter.ts';
import type { DeliveryResult, Reply } from '../../core/types.ts';
import type { TutorFrontDoor } from '../../commands/front-door.ts';
import type { Logger } from '../../logger.ts';
import { createDiscordClient } from './client.ts';
import { createHttpFetch } from '../../core/llm/http-fetch.ts';
import { createContext, type DiscordContext } from './context.ts';
import { describeError } from './errors.ts';
import { handleInteraction } from './interactions.ts';
import { handleMessage } from './messages.ts';
import { sendToChat } from './outbound.ts';
import { handleReaction, reactionEvent, uncachedDmReaction } from './reactions.ts';
import { pause } from '../abortable-pause.ts';

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
  /** While Discord cannot be reached at start-up: the first wait between attempts (doubling), and the longest. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** REST requests per second for the whole bot (default 50, Discord's limit); the benchmarks lift it to measure overhead. */
  restGlobalRequestsPerSecond?: number;
}

/** A failure to reach Discord (network, 5xx, 429), as opposed to Discord refusing the bot (token, intents). */
function isUnreachable(error: unknown): boolean {
  for (let e = error as { code?: unknown; status?: unknown; cause?: unknown; name?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.status === 'number') return e.status >= 500 || e.status === 429;
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+)$/.test(e.code)) return true;
    if (e.name === 'AbortError' || (e instanceof TypeError && e.message === 'fetch failed')) return true;
  }
  return false;
}


export function createDiscordAdapter(options: DiscordAdapterOptions): PlatformAdapter {
  const logger = options.logger.child({ platform: 'discord' });
  let client: Client | undefined;
  let ctx: DiscordContext | undefined;
  let accepting = false;
  /** The background attempts while Discord cannot be reached at start-up; stop() cuts them short. */
  let retrying: Promise<void> | undefined;
  const aborter = new AbortController();
  const inFlight = new Set<Promise<void>>();
  // REST calls over node:http with keep-alive instead of @discordjs/rest's undici (two per command: defer, edit):
  // in alternating runs at 200 commands/s the bot's CPU per command was lower with it (docs/benchmarks.md).
  const restFetch = createHttpFetch();

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

  /** One attempt: a new client, its handlers, the login, then the gateway's READY. Throws when it fails. */
  async function connect(): Promise<void> {
    const c = createDiscordClient({
      messageContentIntent: options.messageContentIntent,
      makeRequest: restFetch as never,
      ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
      ...(options.restGlobalRequestsPerSecond ? { restGlobalRequestsPerSecond: options.restGlobalRequestsPerSecond } : {}),
    });
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
      await c.destroy().catch(() => {});
      throw error;
    }
    const readyClient = await ready;
    if (options.applicationId && options.applicationId !== readyClient.application.id) {
      logger.warn({ configured: options.applicationId, actual: readyClient.application.id }, 'discord: DISCORD_APPLICATION_ID does not match the token');
    }
    logger.info({ user: readyClient.user.id, guilds: readyClient.guilds.cache.size }, 'discord: ready');
  }

  /** Discord could not be reached: log each failed attempt and try again, waiting twice as long each time. */
  async function keepTrying(firstError: unknown): Promise<void> {
    let attempt = 1;
    let waitMs = options.retryInitialMs ?? 500;
    let err = firstError;
    logger.warn({ retryInMs: waitMs }, 'Discord not reachable yet, retrying');
    for (;;) {
      logger.info({ attempt, retryInMs: waitMs, error: describeError(err) }, 'discord: connection attempt failed');
      await pause(waitMs, aborter.signal);
      if (aborter.signal.aborted) return;
      attempt += 1;
      try {
        await connect();
        if (aborter.signal.aborted) return;
        logger.info({ attempts: attempt }, 'discord: reachable after failed attempts');
        return;
      } catch (next) {
        if (aborter.signal.aborted) return;
        if (!isUnreachable(next)) {
          logger.error({ attempt, error: describeError(next) }, 'discord: cannot start; giving up');
          return;
        }
        err = next;
        waitMs = Math.min(options.retryMaxMs ?? 30_000, waitMs * 2);
      }
    }
  }

  return {
    platform: 'discord',

    /**
     * Resolves once connected, or once a first attempt failed only because Discord could not be reached: the
     * attempts then go on in the background (isConnected() stays false, so /healthz says down, until one
     * succeeds). Rejects when Discord refuses the bot (a wrong token, missing intents).
     */
    async start() {
      if (client || retrying) throw new Error('discord adapter already started');
      try {
        await connect();
      } catch (error) {
        if (!isUnreachable(error)) {
          // The message never contains the token; the error object may carry request details, so log only this.
          logger.error({ error: describeError(error) }, 'discord: login failed');
          throw new Error(`Discord login failed: ${describeError(error).message}`);
        }
        retrying = keepTrying(error).finally(() => (retrying = undefined));
      }
    },

    async stop() {
      aborter.abort();
      await retrying;
      accepting = false;
      if (inFlight.size) {
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.stopTimeoutMs ?? 10_000).unref());
        await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      }
      const c = client;
      client = undefined;
      ctx = undefined;
      if (c) await c.destroy();
      restFetch.close();
    },

    isConnected() {
      return !!client?.isReady();
    },

    send,
  };
}
