// start() resolves when the client is ready, stop() lets in-flight work finish before disconnecting,
// a wrong token fails start() without the token showing up anywhere.
import { describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bots/discord/index.ts';
import { captureLogger } from '../support/core.ts';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { createStubFrontDoor } from './helpers/stub-front-door.ts';

describe('adapter lifecycle', () => {
  it('starts when ready, finishes in-flight work on stop, then disconnects', async () => {
    const fake = await FakeDiscord.start();
    const frontDoor = createStubFrontDoor();
    const { logger, raw } = captureLogger('debug');
    const adapter = createDiscordAdapter({ token: fake.token, apiBaseUrl: fake.apiBase, frontDoor, logger, messageContentIntent: true });
    expect(adapter.platform).toBe('discord');
    expect(adapter.isConnected()).toBe(false);
    await adapter.start();
    expect(adapter.isConnected()).toBe(true);
    expect(fake.calls[0]).toMatchObject({ method: 'GET', path: '/gateway/bot' });

    frontDoor.delayMs = 1_000;
    const alice = fake.addUser('alice');
    const i = fake.slashCommand({ name: 'help', user: alice });
    await fake.waitFor(() => frontDoor.of('command').length === 1, 3_000, 'the command');
    await adapter.stop();
    expect(adapter.isConnected()).toBe(false);
    expect([...fake.world.messages.values()].find((m) => m.interactionId === i.id)!.content).toBe('ran help');

    expect(raw.join('\n')).not.toContain(fake.token);
    await fake.close();
  });

  it('fails start() on a wrong token, without logging it', async () => {
    const fake = await FakeDiscord.start();
    const { logger, raw } = captureLogger('debug');
    const token = 'wrong-token.abcdefghijklmnop';
    const adapter = createDiscordAdapter({ token, apiBaseUrl: fake.apiBase, frontDoor: createStubFrontDoor(), logger, messageContentIntent: false });
    const error = await adapter.start().then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain(token);
    expect(raw.join('\n')).not.toContain(token);
    expect(adapter.isConnected()).toBe(false);
    await adapter.stop();
    await fake.close();
  });
});
