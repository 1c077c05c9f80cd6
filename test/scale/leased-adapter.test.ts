// The lease wrapper around a platform adapter, with a scripted lease and recording adapters (no services
// needed): who runs, when an adapter is stopped and replaced, what health and send report in each role.
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../src/bots/adapter.ts';
import { leasedAdapter, type LeasedAdapter } from '../../src/coordination/leased-adapter.ts';
import type { Lease } from '../../src/coordination/lease.ts';
import { captureLogger } from '../support/core.ts';
import { waitUntil } from './support/services.ts';

interface ScriptedLease extends Lease {
  free: boolean;
  held: boolean;
  failing: boolean;
  releases: number;
}

function scriptedLease(): ScriptedLease {
  const lease: ScriptedLease = {
    name: 'test-lease',
    free: true,
    held: false,
    failing: false,
    releases: 0,
    async tryAcquire() {
      if (lease.failing) throw new Error('store down');
      if (lease.held) return true;
      if (!lease.free) return false;
      lease.free = false;
      lease.held = true;
      return true;
    },
    async renew() {
      if (lease.failing) throw new Error('store down');
      return lease.held;
    },
    async release() {
      lease.releases += 1;
      if (lease.held) lease.free = true;
      lease.held = false;
    },
  };
  return lease;
}

interface RecordingAdapter extends PlatformAdapter {
  started: boolean;
  stopped: boolean;
  sent: string[];
}

function recordingAdapters(failStart = false) {
  const made: RecordingAdapter[] = [];
  const create = (): PlatformAdapter => {
    const adapter: RecordingAdapter = {
      platform: 'telegram',
      started: false,
      stopped: false,
      sent: [],
      async start() {
        if (failStart) throw new Error('bad token');
        adapter.started = true;
      },
      async stop() {
        adapter.stopped = true;
      },
      isConnected: () => adapter.started && !adapter.stopped,
      async send(chatId) {
        adapter.sent.push(chatId);
        return 'sent';
      },
    };
    made.push(adapter);
    return adapter;
  };
  return { made, create };
}

const running: LeasedAdapter[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop()));
});

function wrap(lease: Lease, create: () => PlatformAdapter, sendsOnStandby = true): LeasedAdapter {
  const adapter = leasedAdapter({ create, lease, log: captureLogger('warn').logger, renewEveryMs: 20, retryEveryMs: 20, sendsOnStandby });
  running.push(adapter);
  return adapter;
}

describe('a platform adapter behind a lease', () => {
  it('the holder runs it; losing the lease stops it at once, and the next term gets a fresh adapter', async () => {
    const lease = scriptedLease();
    const { made, create } = recordingAdapters();
    const adapter = wrap(lease, create);
    await adapter.start();
    expect(adapter.role()).toBe('holder');
    expect(made[0]!.started).toBe(true);
    expect(adapter.isConnected()).toBe(true);

    lease.held = false; // someone else has it now
    await waitUntil(() => adapter.role() === 'standby', 2_000, 'standby after the loss');
    expect(made[0]!.stopped).toBe(true);
    expect(made).toHaveLength(2);
    expect(made[1]!.started).toBe(false);

    lease.free = true;
    await waitUntil(() => adapter.role() === 'holder', 2_000, 'holder again');
    expect(made[1]!.started).toBe(true);
  });

  it('on standby: not started, healthy while the lease store answers, unhealthy when it does not', async () => {
    const lease = scriptedLease();
    lease.free = false;
    const { made, create } = recordingAdapters();
    const adapter = wrap(lease, create);
    await adapter.start();
    expect(adapter.role()).toBe('standby');
    expect(made[0]!.started).toBe(false);
    expect(adapter.isConnected()).toBe(true);
    lease.failing = true;
    await waitUntil(() => !adapter.isConnected(), 2_000, 'unhealthy while the store is down');
    expect(adapter.role()).toBe('standby');
  });

  it('sends on standby only when the adapter can (Telegram can, Discord cannot: it reports failed)', async () => {
    const taken = scriptedLease();
    taken.free = false;
    const telegram = recordingAdapters();
    expect(await wrap(taken, telegram.create).send!('chat-1', [])).toBe('sent');
    const discord = recordingAdapters();
    const standby = wrap(taken, discord.create, false);
    await standby.start();
    expect(await standby.send!('chat-2', [])).toBe('failed');
    expect(discord.made[0]!.sent).toEqual([]);
  });

  it('a first start that fails fails start() (as without a lease) and gives the lease back', async () => {
    const lease = scriptedLease();
    const { create } = recordingAdapters(true);
    const adapter = wrap(lease, create);
    await expect(adapter.start()).rejects.toThrow('bad token');
    expect(lease.held).toBe(false);
    expect(lease.free).toBe(true);
  });

  it('stop() stops the adapter and releases the lease', async () => {
    const lease = scriptedLease();
    const { made, create } = recordingAdapters();
    const adapter = wrap(lease, create);
    await adapter.start();
    await adapter.stop();
    expect(adapter.role()).toBe('stopped');
    expect(made[0]!.stopped).toBe(true);
    expect(lease.free).toBe(true);
    expect(adapter.isConnected()).toBe(false);
  });
});
