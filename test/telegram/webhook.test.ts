// Webhook mode: setWebhook with the secret, updates posted by the fake, wrong secrets refused.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createStubFrontDoor } from './support/stub-front-door.ts';
import { startHarness } from './support/harness.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('webhook mode', () => {
  it('registers the webhook with the secret and allowed updates, answers posted updates, rejects a wrong secret', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/hook`;
    const stub = createStubFrontDoor();
    const { fake, adapter } = await startHarness(stub.frontDoor, {
      adapter: { webhook: { url, secretToken: 's3cret_token-1', port, host: '127.0.0.1' } },
    });
    expect(adapter.isConnected()).toBe(true);
    const setWebhook = fake.callsTo('setWebhook')[0]!;
    expect(setWebhook.payload).toMatchObject({ url, secret_token: 's3cret_token-1' });
    expect(setWebhook.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'message_reaction']);
    expect(fake.callsTo('getUpdates')).toEqual([]);

    const alice = fake.user();
    const chat = fake.privateChat(alice);
    fake.sendText(chat, alice, '/start');
    await fake.waitUntil(() => fake.botMessages(chat).length === 1);
    expect(fake.webhookResponses).toEqual([200]);

    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
      body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: alice.id, type: 'private' }, from: alice, text: '/start' } }),
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/other`, { method: 'POST' })).status).toBe(404);

    await adapter.stop();
    expect(adapter.isConnected()).toBe(false);
  });
});
