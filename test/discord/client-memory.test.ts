// What the discord.js client as the adapter builds it (src/bots/discord/client.ts) keeps in memory as commands
// come: @discordjs/rest's rate-limit handlers stay bounded (each interaction's reply edit gets a handler of its
// own, the token being the route's major parameter; idle ones go on the sweep it is given, not after an hour),
// and no message is cached (discord.js's default keeps 200 per channel, a DM channel per learner).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DMMessageManager, GuildMessageManager, Message, MessageManager, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, REST_HANDLER_SWEEP_MS } from '../../src/bots/discord/client.ts';
import { createHttpFetch } from '../../src/core/llm/http-fetch.ts';

let server: Server;
let apiBase: string;
const APPLICATION_ID = '123456789012345678';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: '223456789012345678', content: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('message cache', () => {
  it('keeps no message, in DMs or in servers', () => {
    const client = createDiscordClient({ messageContentIntent: false });
    try {
      // As discord.js's CachedManager asks for a channel's message cache (its cache type, what it holds, itself).
      for (const manager of [DMMessageManager, GuildMessageManager]) {
        const cache = client.options.makeCache!(MessageManager as never, Message as never, manager as never) as unknown as { maxSize: number };
        expect(cache.maxSize).toBe(0);
      }
    } finally {
      void client.destroy();
    }
  });
});

describe('REST rate-limit handlers', () => {
  it('one per interaction token, dropped by the sweep once idle', async () => {
    const restFetch = createHttpFetch();
    const client = createDiscordClient({ apiBaseUrl: apiBase, messageContentIntent: false, makeRequest: restFetch as never, restHandlerSweepMs: 100 });
    try {
      const rest = client.rest as unknown as { handlers: Map<string, unknown> };
      for (let n = 0; n < 20; n++) {
        await client.rest.patch(Routes.webhookMessage(APPLICATION_ID, `interaction-token-${n}-${'x'.repeat(40)}`, '@original'), { body: { content: 'cards' }, auth: false });
      }
      expect(rest.handlers.size).toBe(20);
      await expect.poll(() => rest.handlers.size, { timeout: 2000, interval: 50 }).toBe(0);
    } finally {
      await client.destroy();
      restFetch.close();
    }
  });

  it('sweeps every minute by default, not hourly as @discordjs/rest would', () => {
    const client = createDiscordClient({ messageContentIntent: false });
    try {
      expect(client.rest.options.handlerSweepInterval).toBe(REST_HANDLER_SWEEP_MS);
      expect(REST_HANDLER_SWEEP_MS).toBe(60_000);
    } finally {
      void client.destroy();
    }
  });
});
