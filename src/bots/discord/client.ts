// The discord.js client with the least it needs: minimal intents, and partials so that reactions on
// messages sent before a restart (not in the cache) still arrive.
import { Client, GatewayIntentBits, Partials, type RESTOptions } from 'discord.js';

export interface DiscordClientOptions {
  /** REST base such as http://127.0.0.1:PORT/api (a trailing /v10 is accepted); the gateway URL then comes from GET /gateway/bot. */
  apiBaseUrl?: string;
  messageContentIntent: boolean;
  /** Performs the REST calls (default: @discordjs/rest's own, over undici). */
  makeRequest?: RESTOptions['makeRequest'];
}

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
    // Model output and learners' text must never ping @everyone, roles or users.
    allowedMentions: { parse: [], repliedUser: false },
    // Answer even when the learner's message was deleted meanwhile.
    failIfNotExists: false,
    rest: {
      ...(options.apiBaseUrl ? { api: restApiBase(options.apiBaseUrl) } : {}),
      ...(options.makeRequest ? { makeRequest: options.makeRequest } : {}),
    },
  });
}

/** discord.js appends /v{version} itself. */
export function restApiBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}
