// Runs a platform's fake (Telegram's Bot API or Discord's gateway + REST) in its own process, with the open
// loop that drives it, so that the bot's process under load spends its CPU on the bot alone, as in production
// where the platform is elsewhere. Controlled by its parent over IPC (bench/support/fake-platform-process.ts).
import { serveParent } from './child-rpc.ts';
import type { FakePlatformDriver } from './fake-platform-driver.ts';

const platform = process.argv[2];
const driver: FakePlatformDriver =
  platform === 'telegram'
    ? await (await import('./telegram-fake-driver.ts')).startTelegramFake()
    : platform === 'discord'
      ? await (await import('./discord-fake-driver.ts')).startDiscordFake()
      : (() => {
          throw new Error(`unknown platform ${platform}`);
        })();

serveParent(
  {
    warm: (message: { learners: number; command: string }) => driver.warm(message.learners, message.command),
    load: (message: { rate: number; count: number; maxMs: number }) => driver.load({ rate: message.rate, count: message.count, maxMs: message.maxMs }),
  },
  () => driver.close(),
  driver.info,
);
