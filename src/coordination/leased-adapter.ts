// Runs a platform adapter only while this process holds a lease (one Telegram poller per bot token across
// all bot processes). A process without the lease logs it, stands by, and keeps trying; the holder renews the
// lease and, if it ever loses it, stops its adapter at once and stands by again. Each term as holder gets a
// fresh adapter from `create` (an adapter is not restartable). Messages the bot sends on its own (`send`,
// reminders) go through the adapter of this process when it can send without being started (Telegram's
// Bot API can), else only from the holder: elsewhere they report 'failed' and the holder sends them.
import type { PlatformAdapter } from '../bots/adapter.ts';
import type { DeliveryResult, Reply } from '../core/types.ts';
import type { Logger } from '../logger.ts';
import type { Lease } from './lease.ts';

export type LeaseRole = 'standby' | 'holder' | 'stopped';

export interface LeasedAdapter extends PlatformAdapter {
  /** 'holder' while this process runs the adapter, 'standby' while another one does. */
  role(): LeaseRole;
}

export interface LeasedAdapterOptions {
  create: () => PlatformAdapter;
  lease: Lease;
  log: Logger;
  /** How often the holder renews (a third of the lease time is usual). */
  renewEveryMs: number;
  /** How often a process on standby tries to take the lease. */
  retryEveryMs: number;
  /** Whether the adapter can `send` without having been started (default true). */
  sendsOnStandby?: boolean;
}

export function leasedAdapter(options: LeasedAdapterOptions): LeasedAdapter {
  const { lease, log } = options;
  let current = options.create();
  const platform = current.platform;
  let role: LeaseRole = 'standby';
  let storeReachable = false;
  let announcedStandby = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let steps: Promise<void> = Promise.resolve();

  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      steps = steps
        .then(() => step(false))
        .catch((error: unknown) => {
          // Unexpected (step handles the lease's and the adapter's failures): log it and keep going.
          log.error({ lease: lease.name, error: describe(error) }, 'lease: step failed');
          next(role === 'holder' ? options.renewEveryMs : options.retryEveryMs);
        });
    }, ms);
  };

  /** One attempt to take the lease (standby) or to renew it (holder). `first` rethrows a failed start. */
  async function step(first: boolean): Promise<void> {
    if (stopped) return;
    if (role === 'holder') {
      let kept = false;
      try {
        kept = await lease.renew();
        storeReachable = true;
      } catch (error) {
        storeReachable = false;
        log.warn({ lease: lease.name, error: describe(error) }, 'lease: renewal failed');
      }
      if (!kept && !stopped) {
        log.warn({ lease: lease.name }, 'lease: lost; stopping here so that only one process runs it');
        const old = current;
        current = options.create();
        role = 'standby';
        announcedStandby = false;
        await old.stop().catch((error: unknown) => log.error({ error: describe(error) }, 'lease: stopping the adapter failed'));
        await lease.release();
      }
      return next(role === 'holder' ? options.renewEveryMs : options.retryEveryMs);
    }

    let taken = false;
    try {
      taken = await lease.tryAcquire();
      storeReachable = true;
    } catch (error) {
      storeReachable = false;
      log.warn({ lease: lease.name, error: describe(error) }, 'lease: store unreachable; retrying');
    }
    if (taken && !stopped) {
      try {
        await current.start();
        role = 'holder';
        log.info({ lease: lease.name }, `lease: taken; ${platform} runs in this process`);
      } catch (error) {
        await lease.release();
        const old = current;
        current = options.create();
        await old.stop().catch(() => undefined);
        if (first) throw error;
        log.error({ lease: lease.name, error: describe(error) }, 'lease: taken, but the adapter did not start; retrying');
      }
    } else if (taken) {
      await lease.release();
    } else if (!announcedStandby && storeReachable) {
      announcedStandby = true;
      log.info({ lease: lease.name }, `lease: held by another process; ${platform} stands by here and retries`);
    }
    next(role === 'holder' ? options.renewEveryMs : options.retryEveryMs);
  }

  const adapter: LeasedAdapter = {
    platform,
    role: () => role,

    async start() {
      const first = step(true);
      steps = first.catch(() => undefined);
      await first;
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await steps;
      const wasHolder = role === 'holder';
      role = 'stopped';
      try {
        await current.stop();
      } finally {
        await lease.release();
        if (wasHolder) log.info({ lease: lease.name }, 'lease: released');
      }
    },

    isConnected() {
      if (role === 'holder') return current.isConnected();
      return role === 'standby' && storeReachable;
    },
  };
  if (current.send) {
    const onStandby = options.sendsOnStandby ?? true;
    adapter.send = async (chatId: string, replies: Reply[]): Promise<DeliveryResult> =>
      role === 'holder' || (onStandby && role === 'standby') ? current.send!(chatId, replies) : 'failed';
  }
  return adapter;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
