// What /healthz reports: the database (a cheap query through a repository), Redis when configured, and each
// platform adapter's connection. Healthy only when every one of them is up; a Telegram process standing by
// for the polling lease counts as up (it is doing its job), as long as it can reach the lease store.
import type { PlatformAdapter } from '../bots/adapter.ts';

export type CheckState = 'up' | 'down';

export interface HealthSources {
  /** A cheap database round trip; rejects when the database is unreachable. */
  pingDatabase(): Promise<void>;
  /** Present when Redis is configured. */
  pingRedis?: () => Promise<boolean>;
  /** The running platform adapters (read at each check). */
  adapters(): readonly PlatformAdapter[];
  /** Whether the activity journal holds the entries while the database is away (ACTIVITY_JOURNAL on). */
  journalAbsorbsOutage?: () => boolean;
}

export interface HealthReport {
  ok: boolean;
  database: CheckState;
  redis?: CheckState;
  /** Present while the database is down and the journal keeps the activity log: the process still serves. */
  journal?: 'buffering';
  platforms: Record<string, CheckState | 'standby'>;
}

export async function checkHealth(sources: HealthSources, timeoutMs = 2_000): Promise<HealthReport> {
  const [database, redis] = await Promise.all([
    bounded(sources.pingDatabase().then(() => true), timeoutMs),
    sources.pingRedis ? bounded(sources.pingRedis(), timeoutMs) : Promise.resolve(undefined),
  ]);
  const platforms: HealthReport['platforms'] = {};
  let platformsUp = true;
  for (const adapter of sources.adapters()) {
    const up = safely(() => adapter.isConnected());
    platformsUp &&= up;
    platforms[adapter.platform] = up ? (roleOf(adapter) === 'standby' ? 'standby' : 'up') : 'down';
  }
  // An outage the journal absorbs keeps the process healthy (200): restarting it would not bring the database back.
  const buffering = !database && safely(() => sources.journalAbsorbsOutage?.() ?? false);
  return {
    ok: (database || buffering) && redis !== false && platformsUp,
    database: state(database),
    ...(buffering ? { journal: 'buffering' as const } : {}),
    ...(redis === undefined ? {} : { redis: state(redis) }),
    platforms,
  };
}

const state = (up: boolean): CheckState => (up ? 'up' : 'down');

function roleOf(adapter: PlatformAdapter): string | undefined {
  const withRole = adapter as PlatformAdapter & { role?: () => string };
  return typeof withRole.role === 'function' ? withRole.role() : undefined;
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** true when `check` resolves to true within `ms`; false on false, rejection or timeout. */
async function bounded(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
