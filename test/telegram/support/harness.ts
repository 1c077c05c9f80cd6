// Starts the real Telegram adapter against the fake Bot API, with logs captured in memory.
import { afterEach } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import type { PlatformAdapter } from '../../../src/bots/adapter.ts';
import type { TutorFrontDoor } from '../../../src/commands/front-door.ts';
import { createTelegramAdapter, type TelegramAdapterOptions } from '../../../src/bots/telegram/index.ts';
import { createFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from '../../support/fake-telegram/index.ts';

export interface Harness {
  fake: FakeTelegram;
  adapter: PlatformAdapter;
  /** Every log line the adapter wrote (JSON). */
  logs: string[];
}

const running: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()!();
});

export async function startHarness(
  frontDoor: TutorFrontDoor,
  options: { fake?: FakeTelegramOptions; adapter?: Partial<TelegramAdapterOptions>; start?: boolean } = {},
): Promise<Harness> {
  const fake = await createFakeTelegram(options.fake);
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const adapter = createTelegramAdapter({
    token: fake.token,
    apiRoot: fake.apiRoot,
    frontDoor,
    logger,
    pollTimeoutSeconds: 1,
    stopTimeoutMs: 3000,
    ...options.adapter,
  });
  running.push(async () => {
    await adapter.stop();
    await fake.close();
  });
  if (options.start !== false) await adapter.start();
  return { fake, adapter, logs };
}

/** Lets pending handlers run and asserts nothing new happens (for "sends nothing" checks). */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
