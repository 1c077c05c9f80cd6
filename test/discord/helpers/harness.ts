// Starts the fake Discord and the real Discord adapter against it.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createDiscordAdapter } from '../../../src/bots/discord/index.ts';
import type { PlatformAdapter } from '../../../src/bots/adapter.ts';
import type { TutorFrontDoor } from '../../../src/commands/front-door.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';
import { FakeDiscord, type FakeUser } from '../../support/fake-discord/index.ts';
import { createStubFrontDoor, type StubFrontDoor } from './stub-front-door.ts';

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

/**
 * One harness with a stub front door for the whole test file (started before the first test, closed after the
 * last); before each test the stub forgets its calls and answers without delay. Read `ctx.h` and
 * `ctx.frontDoor` inside tests and hooks: they are set once the harness has started.
 */
export function useStubHarness(): { h: Harness; frontDoor: StubFrontDoor } {
  const ctx = {} as { h: Harness; frontDoor: StubFrontDoor };
  beforeAll(async () => {
    ctx.frontDoor = createStubFrontDoor();
    ctx.h = await startHarness({ frontDoor: ctx.frontDoor });
  });
  afterAll(() => ctx.h?.close());
  beforeEach(() => {
    ctx.frontDoor.calls.length = 0;
    ctx.frontDoor.delayMs = 0;
  });
  return ctx;
}
