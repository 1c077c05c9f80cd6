// The discord.js client with the least it needs: minimal intents, and partials so that reactions on
// messages sent before a restart (not in the cache) still arrive.
import { Client, GatewayIntentBits, Options, Partials, type RESTOptions } from 'discord.js';

export interface DiscordClientOptions {
  /** REST base such as http://127.0.0.1:PORT/api (a trailing /v10 is accepted); the gateway URL then comes from GET /gateway/bot. */
  apiBaseUrl?: string;
  messageContentIntent: boolean;
  /** Performs the REST calls (default: @discordjs/rest's own, over undici). */
  makeRequest?: RESTOptions['makeRequest'];
  /** How often idle REST rate-limit handlers are dropped (default REST_HANDLER_SWEEP_MS). */
  restHandlerSweepMs?: number;
  /** REST requests per second for the whole bot (default @discordjs/rest's 50, Discord's documented limit). */
  restGlobalRequestsPerSecond?: number;
}

/**
 * @discordjs/rest keeps a rate-limit handler per route and major parameter, and for a webhook route the major
 * parameter is the interaction's token: every slash command leaves one handler behind (its deferred reply's
 * edit), ~1.2 KB each with the token in its key. Its default sweep runs hourly: a bot answering 10 commands/s
 * would hold ~36 000 of them (~43 MB), at 200/s ~860 MB. Sweeping every minute keeps that minute's commands.
 */
export const REST_HANDLER_SWEEP_MS = 60_000;

export function discordIntents(messageContentIntent: boolean): GatewayIntentBits[] {
  return [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.GuildMessageReactions,
    GatewayIntentBits.DirectMessages,
    GatewayIntentBits.DirectMessageReactions,
    ...(messageContentIntent ? [GatewayIntentBits.MessageContent] : []),
  ];
}

export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    intents: discordIntents(options.messageContentIntent),
    partials: [Partials.Message, Partials.Reaction, Partials.Channel, Partials.User],
    // No message is kept: nothing here reads discord.js's message cache (replies and reactions are traced through
    // the database, partials cover uncached messages), and its default keeps 200 per channel forever, ~5 KB
    // each with a set of cards: a DM channel per learner made it grow with every learner (1 000 learners at
    // 200 messages each, ~1 GB).
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    // Model output and learners' text must never ping @everyone, roles or users.
    allowedMentions: { parse: [], repliedUser: false },
    // Answer even when the learner's message was deleted meanwhile.
    failIfNotExists: false,
    rest: {
      ...(options.apiBaseUrl ? { api: restApiBase(options.apiBaseUrl) } : {}),
      ...(options.makeRequest ? { makeRequest: options.makeRequest } : {}),
      handlerSweepInterval: options.restHandlerSweepMs ?? REST_HANDLER_SWEEP_MS,
      ...(options.restGlobalRequestsPerSecond ? { globalRequestsPerSecond: options.restGlobalRequestsPerSecond } : {}),
    },
  });
}

/** discord.js appends /v{version} itself. */
export function restApiBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}
