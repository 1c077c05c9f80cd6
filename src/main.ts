// Entry point: `npm start` runs the platform adapters whose tokens are set; `npm run chat` runs the terminal.
// SIGINT, SIGTERM and (in the terminal) the end of input stop everything gracefully: adapters first, then
// the activity log is flushed, then the database is closed.
import 'dotenv/config';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { chatLogDestination, createLogger, scrubSecrets, secretsOf } from './logger.ts';
import { createCore, type Core } from './app.ts';
import type { PlatformAdapter } from './bots/adapter.ts';
import { createConsoleAdapter } from './bots/console/adapter.ts';
import { projectRoot } from './core/paths.ts';
import { createAdapterNotifier } from './notifier.ts';
import { startReminderScheduler, type ReminderScheduler } from './core/services/reminders.ts';
import { startLinkNoticeScheduler, type LinkNoticeScheduler } from './core/services/linking.ts';
import { startOps } from './ops/index.ts';
import type { OpsServer } from './ops/server.ts';
import { isShardProcess } from './shard-env.ts';
import { startBackupSchedule } from './core/db/backup/schedule.ts';
import type { Ticker } from './core/ticker.ts';
import { backupScheduleFor } from './backup-schedule.ts';
import { applyHeapPolicy } from './heap-policy.ts';

const NOTHING_TO_RUN = `Nothing to run: no platform token is set.

Set at least one of these (in the environment or in a .env file; see .env.example):
  TELEGRAM_BOT_TOKEN=123456:ABC...      the token from @BotFather
  DISCORD_TOKEN=...                     the bot token from the Discord developer portal
and an OpenAI-compatible model:
  OPENAI_BASE_URL=http://localhost:11434/v1   (Ollama, vLLM, LM Studio, llama.cpp, or leave unset for OpenAI)
  OPENAI_API_KEY=...  OPENAI_MODEL=...

To try the tutor right here in the terminal:  npm run chat
`;

async function main(): Promise<number> {
  applyHeapPolicy();
  const chat = process.argv.includes('--chat');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const secrets = secretsOf(config);
  const logger = createLogger(config.LOG_LEVEL, chat ? chatLogDestination(config.LOG_FILE, projectRoot).destination : undefined, { secrets });
  const safe = (error: unknown) => scrubSecrets((error as Error)?.message ?? String(error), secrets);

  if (!chat && !config.TELEGRAM_BOT_TOKEN && !config.DISCORD_TOKEN) {
    process.stderr.write(NOTHING_TO_RUN);
    return 1;
  }

  let core: Core;
  try {
    core = await createCore(config, logger);
  } catch (error) {
    process.stderr.write(`Could not start: ${safe(error)}\n`);
    logger.error({ err: error }, 'start-up failed');
    return 1;
  }

  const adapters: PlatformAdapter[] = [];
  // Reminders start once the adapters can send, and stop first on shutdown (before adapters and database).
  let reminders: ReminderScheduler | undefined;
  let linkNotices: LinkNoticeScheduler | undefined; // "your account was linked", with Undo (src/core/services/linking.ts)
  const startReminders = () => {
    const notifier = createAdapterNotifier(adapters, logger);
    const log = logger.child({ component: 'reminders' });
    reminders = startReminderScheduler(core.services.reminders, { notifier, platforms: notifier.platforms, log, intervalMs: config.REMINDER_TICK_MS });
    linkNotices = startLinkNoticeScheduler(core.services.linking, { notifier, platforms: notifier.platforms, log: logger.child({ component: 'link-notices' }) });
  };
  // Once ready: reminders start, and the Prisma client connects, loading its query compiler (~100 ms of CPU),
  // which nothing before the ready line needed (src/core/db/client.ts, warmUp).
  const afterReady = () => {
    startReminders();
    core.database.warmUp().catch((err: unknown) => logger.warn({ err }, 'database: the client could not connect yet; it tries again at its first query'));
  };
  // BACKUP_EVERY_HOURS on SQLite: the bot snapshots its own database (src/core/db/backup/schedule.ts).
  const schedule = isShardProcess() ? undefined : backupScheduleFor(config, logger);
  const backups: Ticker | undefined = schedule && startBackupSchedule(schedule.target, schedule.schedule, logger.child({ component: 'backup' }));
  let ops: OpsServer | undefined; // /healthz and /metrics (HEALTH_PORT); a Discord shard process has none
  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      // The stop has a deadline of its own: whatever hangs (an adapter, the database), the process ends in time.
      const deadline = setTimeout(() => exitNow(`the graceful stop took longer than SHUTDOWN_TIMEOUT_MS (${config.SHUTDOWN_TIMEOUT_MS} ms)`), config.SHUTDOWN_TIMEOUT_MS);
      deadline.unref();
      await ops?.close();
      await reminders?.stop();
      await linkNotices?.stop();
      await backups?.stop();
      await Promise.allSettled(adapters.map((a) => a.stop()));
      const lost = await core.stop();
      logger.flush();
      return lost > 0 ? 1 : 0;
    })();
    return stopping;
  };
  /** Ends the process at once, saying how many accepted activity-log entries were not yet written. */
  const exitNow = (why: string) => {
    const unwritten = core.activityLog.stats().buffered;
    const entries = `${unwritten} activity-log ${unwritten === 1 ? 'entry' : 'entries'} not yet written`;
    // With the journal they are on disk already: the next start writes them.
    const message = core.config.ACTIVITY_JOURNAL === 'on'
      ? `Stopping at once: ${why}. ${entries} ${unwritten === 1 ? 'is' : 'are'} kept in the journal for the next start.`
      : `Stopping at once: ${why}. ${entries} may be lost.`;
    logger.error({ unwritten }, message);
    logger.flush();
    process.stderr.write(`${message}\n`);
    process.exit(130);
  };
  watchStopSignals(shutdown, exitNow);

  try {
    if (chat) {
      // The terminal too, when HEALTH_PORT is set: its /metrics show what a learner's command costs the process.
      if (config.HEALTH_PORT) ops = await startOps(core, () => adapters, logger);
      const console = createConsoleAdapter({
        frontDoor: core.frontDoor,
        logger,
        input: process.stdin,
        output: process.stdout,
        filesDir: join(projectRoot, 'data', 'files'),
      });
      adapters.push(console);
      await console.start();
      afterReady();
      await console.done;
      return await shutdown('end of input');
    }
    const { platformAdapters } = await import('./platforms.ts');
    adapters.push(...(await platformAdapters(config, core.frontDoor, logger, core.redis ? { redis: core.redis } : {})));
    // After the adapters exist (so /healthz names each one), before they start (which may take a while).
    if (config.HEALTH_PORT && !isShardProcess()) ops = await startOps(core, () => adapters, logger);
    await Promise.all(adapters.map((a) => a.start()));
    afterReady();
    logger.info({ platforms: adapters.map((a) => a.platform) }, 'bot ready');
    return await new Promise<number>(() => {}); // runs until a signal
  } catch (error) {
    logger.error({ err: error }, 'adapter failed to start');
    process.stderr.write(`Could not start: ${safe(error)}\n`);
    await shutdown('start failure');
    return 1;
  }
}

/**
 * SIGINT and SIGTERM: the first starts a graceful stop (then the process exits with its outcome); a later one
 * exits at once. A terminal's Ctrl-C reaches every process of the foreground group, and `npm start` / `npm run
 * chat` also forward it to the bot: the same keypress arrives twice within milliseconds, so a repeat within
 * SIGNAL_ECHO_MS counts as the same request, not as the impatient second Ctrl-C.
 */
const SIGNAL_ECHO_MS = 1_000;
function watchStopSignals(shutdown: (reason: string) => Promise<number>, exitNow: (why: string) => void): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      void shutdown(signal).then((code) => drained().then(() => process.exit(code)));
      return;
    }
    if (Date.now() - firstAt < SIGNAL_ECHO_MS) return;
    exitNow(`a second ${signal}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

// Piped stdout is asynchronous: let it drain before exiting so no reply is cut off.
const drained = () => new Promise<void>((resolve) => process.stdout.write('', () => resolve()));

main().then(
  (code) => drained().then(() => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`Fatal: ${scrubSecrets((error as Error).stack ?? String(error))}\n`);
    process.exit(1);
  },
);
