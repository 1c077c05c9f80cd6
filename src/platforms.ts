// Builds the platform adapters whose tokens are configured (both may run in one process). With several bot
// processes, Telegram polling and the Discord gateway run behind leases (one connection per token, see
// coordination/platform-leases.ts) and DISCORD_SHARDS hands Discord to a ShardingManager; a shard process
// runs Discord only.
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { TutorFrontDoor } from './commands/front-door.ts';
import type { PlatformAdapter } from './bots/adapter.ts';
import { leasedAdapter } from './coordination/leased-adapter.ts';
import { leaseTimings, platformLease, type Coordination } from './coordination/platform-leases.ts';
import { isShardProcess, usesShardingManager } from './shard-env.ts';

/** Each platform's library is loaded only when its token is set (discord.js alone is tens of MB). */
export async function platformAdapters(
  config: Config,
  frontDoor: TutorFrontDoor,
  logger: Logger,
  coordination: Coordination = {},
): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  const telegramToken = config.TELEGRAM_BOT_TOKEN;
  if (telegramToken && !isShardProcess()) {
    const { createTelegramAdapter } = await import('./bots/telegram/index.ts');
    const telegram = () =>
      createTelegramAdapter({
        token: telegramToken,
        ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
        frontDoor,
        logger,
        ...(config.TELEGRAM_WEBHOOK_URL
          ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secretToken: config.TELEGRAM_WEBHOOK_SECRET!, port: config.TELEGRAM_WEBHOOK_PORT } }
          : {}),
      });
    const lease = config.TELEGRAM_WEBHOOK_URL ? undefined : platformLease('telegram-poller', telegramToken, config, coordination);
    const log = logger.child({ platform: 'telegram' });
    adapters.push(lease ? leasedAdapter({ create: telegram, lease, log, ...leaseTimings(config.PLATFORM_LEASE_MS) }) : telegram());
  }
  const discordToken = config.DISCORD_TOKEN;
  if (discordToken) {
    const shards = config.DISCORD_SHARDS;
    const { createDiscordAdapter } = await import('./bots/discord/index.ts');
    const { createShardedDiscord } = await import('./discord-shards.ts');
    const discord = (): PlatformAdapter =>
      usesShardingManager(shards)
        ? createShardedDiscord({ token: discordToken, totalShards: shards, logger })
        : createDiscordAdapter({
            token: discordToken,
            ...(config.DISCORD_APPLICATION_ID ? { applicationId: config.DISCORD_APPLICATION_ID } : {}),
            ...(config.DISCORD_API_BASE_URL ? { apiBaseUrl: config.DISCORD_API_BASE_URL } : {}),
            frontDoor,
            logger,
            messageContentIntent: config.DISCORD_MESSAGE_CONTENT_INTENT,
          });
    // A shard process is one of the manager's; the manager's process holds the lease for all of them.
    const lease = isShardProcess() ? undefined : platformLease('discord-gateway', discordToken, config, coordination);
    const log = logger.child({ platform: 'discord' });
    const timings = leaseTimings(config.PLATFORM_LEASE_MS);
    adapters.push(lease ? leasedAdapter({ create: discord, lease, log, sendsOnStandby: false, ...timings }) : discord());
  }
  return adapters;
}
