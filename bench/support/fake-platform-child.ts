// Runs a platform's fake (Telegram's Bot API or Discord's gateway + REST) in its own process, with the open
// loop that drives it, so that the bot's process under load spends its CPU on the bot alone, as in production
// where the platform is elsewhere. Controlled by its parent over IPC (bench/support/fake-platform-process.ts).
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

type Request = { id: number } & ({ type: 'warm'; learners: number; command: string } | { type: 'load'; rate: number; count: number; maxMs: number } | { type: 'close' });

const send = (message: unknown) => process.send?.(message);

async function answer(message: Request): Promise<unknown> {
  if (message.type === 'warm') return driver.warm(message.learners, message.command);
  if (message.type === 'load') return driver.load({ rate: message.rate, count: message.count, maxMs: message.maxMs });
  await driver.close();
  return undefined;
}

process.on('message', (message: Request) => {
  answer(message).then(
    (result) => {
      send({ id: message.id, result });
      if (message.type === 'close') {
        process.disconnect?.();
        process.exit(0);
      }
    },
    (error: unknown) => send({ id: message.id, error: (error as Error).message ?? String(error) }),
  );
});
process.on('disconnect', () => void driver.close().finally(() => process.exit(0)));
send({ type: 'ready', info: driver.info });
