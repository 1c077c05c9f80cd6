// The Notifier of a bot process: routes each message to the running adapter of the target's platform.
// A platform this process does not run (or whose adapter cannot send) gets 'failed', so the caller keeps the
// message for a process that does.
import type { PlatformAdapter } from './bots/adapter.ts';
import type { DeliveryResult, Notifier, Platform } from './core/types.ts';
import type { Logger } from './logger.ts';

export interface AdapterNotifier extends Notifier {
  /** The platforms this notifier can deliver to. */
  readonly platforms: readonly Platform[];
}

export function createAdapterNotifier(adapters: readonly PlatformAdapter[], logger: Logger): AdapterNotifier {
  const byPlatform = new Map(adapters.filter((a) => a.send).map((a) => [a.platform, a]));
  return {
    platforms: [...byPlatform.keys()],
    async send(target, replies): Promise<DeliveryResult> {
      const adapter = byPlatform.get(target.platform);
      if (!adapter?.send) return 'failed';
      try {
        return await adapter.send(target.chatId, replies);
      } catch (error) {
        // Adapters report known outcomes; anything thrown is a transient failure worth a retry.
        logger.warn({ err: error, platform: target.platform }, 'notifier: send failed');
        return 'failed';
      }
    },
  };
}
