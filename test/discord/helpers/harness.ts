// Starts the fake Discord and the real Discord adapter against it.
import { createDiscordAdapter } from '../../../src/bots/discord/index.ts';
import type { PlatformAdapter } from '../../../src/bots/adapter.ts';
import type { TutorFrontDoor } from '../../../src/commands/front-door.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';
import { FakeDiscord, type FakeUser } from '../../support/fake-discord/index.ts';

export interface Harness {
  fake: FakeDiscord;
  adapter: PlatformAdapter;
  alice: FakeUser;
  bob: FakeUser;
  close(): Promise<void>;
}

export async function startHarness(options: {
  frontDoor: TutorFrontDoor;
  messageContentIntent?: boolean;
  botPermissions?: bigint;
  logger?: Logger;
}): Promise<Harness> {
  const fake = await FakeDiscord.start(options.botPermissions !== undefined ? { botPermissions: options.botPermissions } : {});
  const alice = fake.addUser('alice', { globalName: 'Alice', nick: 'Ali' });
  const bob = fake.addUser('bob', { globalName: 'Bob' });
  const adapter = createDiscordAdapter({
    token: fake.token,
    apiBaseUrl: fake.apiBase,
    frontDoor: options.frontDoor,
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    messageContentIntent: options.messageContentIntent ?? true,
  });
  await adapter.start();
  return {
    fake,
    adapter,
    alice,
    bob,
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}
