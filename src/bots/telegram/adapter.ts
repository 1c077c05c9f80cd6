// The Telegram adapter: a grammY bot with rate-limit handling, long polling through the grammY runner (or a
// webhook server), the command menu, and the update handlers. Thin: decoding, the front door and rendering
// live in their own modules.
import { Bot, GrammyError, HttpError, type Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import type { Logger } from '../../logger.ts';
import type { TutorFrontDoor } from '../../commands/front-door.ts';
import type { PlatformAdapter } from '../adapter.ts';
import { registerHandlers } from './handle-updates.ts';
import { registerCommands } from './register-commands.ts';
import { createThrottler, DEFAULT_THROTTLE_LIMITS, type ThrottleLimits } from './throttle.ts';
import { startWebhookServer, type WebhookServer } from './webhook-server.ts';
import { describeError } from './errors.ts';
import { createFileDownloader } from './download-file.ts';
import { MAX_INCOMING_ATTACHMENT_BYTES, type DeliveryResult, type Reply } from '../../core/types.ts';
import { sendUnprompted } from './send-unprompted.ts';
import { pause } from '../abortable-pause.ts';
import { createBotApiFetch } from './bot-api-fetch.ts';

/** The updates the bot asks for: message_reaction must be listed explicitly or Telegram never sends it. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'message_reaction'] as const;

export interface TelegramWebhookOptions {
  /** Public HTTPS URL Telegram posts to; its path is the path the server accepts. */
  url: string;
  secretToken: string;
  port: number;
  /** Interface to listen on (default: all). */
  host?: string;
}

export interface TelegramAdapterOptions {
  token: string;
  /** Bot API root (tests point it at the fake), default https://api.telegram.org. */
  apiRoot?: string;
  frontDoor: TutorFrontDoor;
  logger: Logger;
  webhook?: TelegramWebhookOptions;
  /** Outgoing message limits (defaults follow Telegram's published limits). */
  limits?: Partial<ThrottleLimits>;
  /** How long stop() waits for in-flight updates. Default 15 s. */
  stopTimeoutMs?: number;
  /** getUpdates long-poll timeout in seconds. Default 30. */
  pollTimeoutSeconds?: number;
  /** The longest retry_after a 429 may ask for before the call fails instead of waiting. Default 60 s. */
  maxRetryAfterSeconds?: number;
  /** While Telegram cannot be reached at start-up: the first wait between attempts (doubling), and the longest. */
  connectRetry?: { initialMs?: number; maxMs?: number };
}

/** Worth another try: Telegram could not be reached (network), was overloaded (5xx) or rate-limited us. */
function isTransient(err: unknown): boolean {
  if (err instanceof HttpError) return true;
  return err instanceof GrammyError && (err.error_code >= 500 || err.error_code === 429);
}


async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The adapter; `send` (messages without an incoming update, e.g. reminders) is always available. */
export type TelegramAdapter = PlatformAdapter & Required<Pick<PlatformAdapter, 'send'>>;

export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const log = options.logger.child({ platform: 'telegram' });
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const pollTimeout = options.pollTimeoutSeconds ?? 30;
  const botApiFetch = createBotApiFetch();
  const bot = new Bot(options.token, {
    client: {
      // Over node:http instead of grammY's node-fetch: half the garbage per call (bot-api-fetch.ts).
      fetch: botApiFetch as never,
      ...(options.apiRoot ? { apiRoot: options.apiRoot.replace(/\/+$/, '') } : {}),
      // grammY's default is 500 s; a hung request must not hold an update that long.
      timeoutSeconds: pollTimeout + 30,
    },
  });

  // Transformers run last-installed first: retries go back through the throttle, so a retried message
  // still waits its turn.
  const throttler = createThrottler({ ...DEFAULT_THROTTLE_LIMITS, ...options.limits });
  bot.api.config.use(throttler.transformer);
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: 3,
      maxDelaySeconds: options.maxRetryAfterSeconds ?? 60,
      // Network errors would otherwise be retried forever; handlers log them and go on.
      rethrowHttpErrors: true,
    }),
  );
  // Whether the last getUpdates call succeeded: the runner keeps retrying quietly when Telegram is unreachable.
  const polling = { healthy: true };
  bot.api.config.use(watchPolls(log, polling));

  // The runner's stop() does not wait for running handlers, so every update is tracked here (polling and webhook).
  const inFlight = new Set<Promise<void>>();
  bot.use(async (_ctx, next) => {
    const task = next();
    inFlight.add(task);
    try {
      await task;
    } finally {
      inFlight.delete(task);
    }
  });

  const botTopics = new Set<string>();
  const apiRoot = (options.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const downloadFile = createFileDownloader(bot.api, options.token, apiRoot, MAX_INCOMING_ATTACHMENT_BYTES);
  registerHandlers(bot, { frontDoor: options.frontDoor, logger: options.logger, botTopics, downloadFile, drafts: { refused: false } });
  bot.catch((error) => log.error({ err: describeError(error.error), updateId: error.ctx.update.update_id }, 'telegram: unhandled error in an update'));

  let runner: RunnerHandle | undefined;
  let webhookServer: WebhookServer | undefined;
  /** Set once setWebhook succeeded (webhook mode): before that Telegram sends nothing to the server. */
  let webhookSet = false;
  let stopping: Promise<void> | undefined;
  let started = false;
  /** The attempts still running in the background while Telegram cannot be reached. */
  let connecting: Promise<void> | undefined;
  const aborter = new AbortController();
  const retryInitialMs = options.connectRetry?.initialMs ?? 500;
  const retryMaxMs = options.connectRetry?.maxMs ?? 30_000;

  const handleWebhookUpdate = (update: Update) => {
    bot.handleUpdate(update).catch((err: unknown) => log.error({ err: describeError(err), updateId: update.update_id }, 'telegram: webhook update failed'));
  };

  /** One attempt to get going: who the bot is, its commands, then the webhook or polling. Throws when it fails. */
  async function connect(): Promise<void> {
    // grammY types its signal after the abort-controller package; Node's AbortSignal is what it gets at run time.
    const signal = aborter.signal as unknown as Parameters<typeof bot.api.getMe>[0];
    if (!bot.isInited()) {
      // Not bot.init(): it retries a network failure silently, for up to 20 minutes between attempts.
      bot.botInfo = await bot.api.getMe(signal);
      log.info({ username: bot.botInfo.username }, 'telegram: connected');
      await registerCommands(bot.api, options.frontDoor.commands, log);
    }
    if (stopping) return;

    if (options.webhook) {
      const url = new URL(options.webhook.url);
      webhookServer ??= await startWebhookServer({
        port: options.webhook.port,
        ...(options.webhook.host ? { host: options.webhook.host } : {}),
        path: url.pathname,
        secretToken: options.webhook.secretToken,
        onUpdate: handleWebhookUpdate,
        log,
      });
      await bot.api.setWebhook(options.webhook.url, { secret_token: options.webhook.secretToken, allowed_updates: [...ALLOWED_UPDATES] }, signal);
      webhookSet = true;
      log.info({ port: webhookServer.port }, 'telegram: webhook server listening');
      return;
    }

    // A webhook left from an earlier deployment makes getUpdates fail with 409.
    await bot.api.deleteWebhook(undefined, signal).catch((err: unknown) => {
      if (isTransient(err)) throw err;
      log.warn({ err: describeError(err) }, 'telegram: deleteWebhook failed');
    });
    if (stopping) return;
    runner = run(bot, {
      runner: { fetch: { timeout: pollTimeout, allowed_updates: [...ALLOWED_UPDATES] }, silent: true },
    });
    // The runner gives up only on 401 (token revoked) or 409 (another instance polls): log it, never crash.
    runner.task()?.then(
      () => {
        if (!stopping) log.error('telegram: polling stopped unexpectedly');
      },
      (err: unknown) => log.error({ err: describeError(err) }, 'telegram: polling stopped'),
    );
    log.info('telegram: polling');
  }

  /** Telegram could not be reached: log each failed attempt and try again, waiting twice as long each time. */
  async function keepTrying(firstError: unknown): Promise<void> {
    let attempt = 1;
    let waitMs = retryInitialMs;
    let err = firstError;
    log.warn({ retryInMs: waitMs }, 'Telegram not reachable yet, retrying');
    for (;;) {
      log.info({ attempt, retryInMs: waitMs, err: describeError(err) }, 'telegram: connection attempt failed');
      await pause(waitMs, aborter.signal);
      if (stopping) return;
      attempt += 1;
      try {
        await connect();
        if (!stopping) log.info({ attempts: attempt }, 'telegram: reachable after failed attempts');
        return;
      } catch (next) {
        if (stopping) return;
        if (!isTransient(next)) {
          log.error({ attempt, err: describeError(next) }, 'telegram: cannot start; giving up');
          return;
        }
        err = next;
        waitMs = Math.min(retryMaxMs, waitMs * 2);
      }
    }
  }

  return {
    platform: 'telegram',

    /**
     * Resolves once running, or once a first attempt failed only because Telegram could not be reached: the
     * attempts go on in the background (isConnected() stays false until one succeeds). Rejects when Telegram
     * refuses the bot (a wrong token, a bad webhook URL).
     */
    async start() {
      if (started) return;
      started = true;
      try {
        await connect();
      } catch (err) {
        if (!isTransient(err) || stopping) {
          await webhookServer?.close();
          webhookServer = undefined;
          throw err;
        }
        connecting = keepTrying(err);
      }
    },

    stop() {
      stopping ??= (async () => {
        // First stop trying to connect and taking updates, then let the running ones finish (bounded).
        aborter.abort();
        await connecting;
        if (runner?.isRunning()) await within(runner.stop(), stopTimeoutMs);
        await webhookServer?.close();
        if (!(await within(Promise.allSettled([...inFlight]), stopTimeoutMs))) {
          log.warn({ pending: inFlight.size }, 'telegram: in-flight updates did not finish in time');
        }
        await throttler.stop();
        botApiFetch.close();
        log.info('telegram: stopped');
      })();
      return stopping;
    },

    send(chatId: string, replies: Reply[]): Promise<DeliveryResult> {
      return sendUnprompted({ api: bot.api, frontDoor: options.frontDoor, logger: options.logger, botTopics }, chatId, replies);
    },

    isConnected() {
      if (stopping) return false;
      if (runner) return runner.isRunning() && polling.healthy;
      return webhookSet && (webhookServer?.isListening() ?? false);
    },
  };
}

/**
 * The runner retries failed getUpdates calls quietly; this logs the failures (token-free) and records whether
 * polling currently works, for isConnected().
 */
function watchPolls(log: Logger, state: { healthy: boolean }): Transformer {
  return async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const result = await prev(method, payload, signal);
      state.healthy = result.ok;
      if (!result.ok) log.warn({ errorCode: result.error_code, description: result.description }, 'telegram: getUpdates failed');
      return result;
    } catch (err) {
      if (!signal?.aborted) {
        state.healthy = false;
        log.warn({ err: describeError(err) }, 'telegram: getUpdates failed');
      }
      throw err;
    }
  };
}
