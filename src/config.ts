// Every setting comes from the environment (a .env file is read if present), parsed once at start-up.
// A bad value stops the process with a message that names the variable. .env.example documents each.
import * as z from 'zod';
import { STRUCTURED_OUTPUT_SETTINGS } from './core/llm/structured-mode.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

export const configSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the terminal chat (`--chat`) writes its logs: a file (default data/logs/chat.log) or `stderr`. */
  LOG_FILE: optionalString,
  DATABASE_URL: optionalString,

  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Whole-request timeout for one LLM call, and the longest silence allowed inside a stream. */
  LLM_TIMEOUT_MS: int(1_000, 600_000).default(60_000),
  LLM_STALL_TIMEOUT_MS: int(500, 600_000).default(20_000),
  LLM_MAX_RETRIES: int(0, 10).default(2),
  LLM_MAX_CONCURRENT: int(1, 1_000).default(4),
  LLM_CALLS_PER_MINUTE: int(1, 100_000).default(60),
  /** How long a request may wait in the limiter's queue before the learner is told to try later. */
  LLM_QUEUE_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /** Speech (voice notes): an OpenAI-compatible /audio API; default: the OPENAI_* ones. */
  SPEECH_BASE_URL: optionalString.pipe(z.url().optional()),
  SPEECH_API_KEY: optionalString,
  TTS_MODEL: z.string().min(1).default('gpt-4o-mini-tts'),
  TTS_VOICE: z.string().min(1).default('alloy'),
  STT_MODEL: z.string().min(1).default('whisper-1'),
  /** openai: the speech API above; espeak: a local espeak-ng + opusenc for speech out (robotic, offline). */
  TTS_PROVIDER: z.enum(['openai', 'espeak']).default('openai'),
  /** Default: on when a speech provider is configured. */
  VOICE_ENABLED: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), bool.optional()),
  /** Voice messages longer than this are refused before download. */
  VOICE_MAX_SECONDS: int(1, 3_600).default(60),
  /** Seconds of speech in and out per learner and UTC day. */
  VOICE_DAILY_SECONDS: int(1, 1_000_000).default(600),
  /** Where spoken clips are cached (one folder per learner; /forget deletes it). */
  VOICE_CACHE_DIR: optionalString,
  USER_CALLS_PER_MINUTE: int(1, 10_000).default(10),
  USER_DAILY_QUOTA: int(1, 1_000_000).default(200),
  /** How long a learner looked up for a request is reused; another process's change is seen within it (0: off). */
  LEARNER_CACHE_TTL_MS: int(0, 3_600_000).default(10_000),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.7),
  /** How replies are kept to the schema: auto (json_schema, stepping down once per server when refused or ignored) or one fixed mode. */
  LLM_STRUCTURED_OUTPUT: z
    .enum(STRUCTURED_OUTPUT_SETTINGS, { error: `one of ${STRUCTURED_OUTPUT_SETTINGS.join(', ')}` })
    .default('auto'),

  ACTIVITY_LOG_BATCH_SIZE: int(1, 100_000).default(100),
  ACTIVITY_LOG_MAX_AGE_MS: int(10, 3_600_000).default(2_000),
  /** Entries kept in memory while the database is unreachable; beyond it the oldest are dropped with an error log. */
  ACTIVITY_LOG_MAX_BUFFER: int(100, 10_000_000).default(100_000),
  /** The local journal every activity-log entry is appended to before log() returns (off: memory only). */
  ACTIVITY_JOURNAL: z.enum(['on', 'off']).default('on'),
  /** Its directory (relative paths from the project root); one per process: it is locked while in use. */
  ACTIVITY_JOURNAL_DIR: z.string().min(1).default('data/journal'),
  /** Disk bound of the journal while the database is away; beyond it the oldest segments are dropped (error log, metric). */
  ACTIVITY_JOURNAL_MAX_MB: z.coerce.number().min(0.01).max(1_048_576).default(256),
  /** How often the journal is flushed to disk with fdatasync (ms); 0: after every entry. */
  ACTIVITY_JOURNAL_FSYNC_MS: int(0, 60_000).default(1_000),
  /** SQLite file: how often a worker thread checkpoints the WAL (ms); 0: SQLite does it inside the bot's commits. */
  SQLITE_CHECKPOINT_MS: int(0, 60_000).default(1_000),
  /** How long a graceful stop (first SIGINT/SIGTERM, end of input) may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: int(500, 600_000).default(10_000),

  /** What one learner may hold: /import refuses a file that would go beyond it (nothing is imported). */
  LEARNER_MAX_SAVED_ITEMS: int(1, 10_000_000).default(5_000),
  LEARNER_MAX_REVIEW_CARDS: int(1, 100_000_000).default(100_000),
  /** /import runs one learner may start per hour (and one at a time). */
  IMPORTS_PER_HOUR: int(1, 10_000).default(5),
  /** The longest the one transaction of an /import may stay open before it is rolled back (PostgreSQL). */
  IMPORT_TRANSACTION_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
  /** `npm run import-legacy`: a file bigger, deeper nested or with more lessons or items per lesson is reported and skipped. */
  LEGACY_IMPORT_MAX_FILE_BYTES: int(1_024, 1_073_741_824).default(10 * 1024 * 1024),
  LEGACY_IMPORT_MAX_DEPTH: int(4, 10_000).default(64),
  LEGACY_IMPORT_MAX_LESSONS: int(1, 1_000_000).default(500),
  LEGACY_IMPORT_MAX_LESSON_ITEMS: int(1, 1_000_000).default(1_000),

  DEFAULT_TARGET_LANGUAGE: z.string().default('es'),
  DEFAULT_BASE_LANGUAGE: z.string().default('en'),
  DEFAULT_LEVEL: z.string().default('A2'),
  /** Turns of a simulation kept verbatim in the prompt; older turns are summarised away. */
  SIMULATION_CONTEXT_TURNS: int(2, 200).default(12),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalString.pipe(z.url().optional()),
  TELEGRAM_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_WEBHOOK_PORT: int(1, 65_535).default(8080),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_BASE_URL: optionalString.pipe(z.url().optional()),
  DISCORD_MESSAGE_CONTENT_INTENT: bool.default(true),
  /** Shards run by discord.js's ShardingManager, one child process each; unset: one shard in this process. */
  DISCORD_SHARDS: optionalString.pipe(
    z
      .string()
      .regex(/^(auto|[1-9][0-9]{0,4})$/, 'a number of shards (1 or more) or auto')
      .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v)))
      .optional(),
  ),

  /** Redis shared by several bot processes (LLM limits, the platform leases); unset: kept in memory. */
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).optional()),
  /** Prefix of every Redis key of this bot (several bots may share one Redis). */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, '1–64 characters of A–Z, a–z, 0–9 and : _ . -').default('tutor:'),
  /** How long the lease of the one Telegram poller / Discord gateway connection lasts unless renewed (every third of it). */
  PLATFORM_LEASE_MS: int(1_000, 600_000).default(30_000),
  /** Port of the /healthz and /metrics HTTP server; unset: no server. */
  HEALTH_PORT: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9]{1,5}$/, 'a port number (1–65535)')
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65_535, 'a port number (1–65535)')
      .optional(),
  ),
  HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
  /** Enables the operator dashboard under /admin on the HEALTH_PORT server; unset: no /admin routes. */
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
  /** Operators who may use /admin in a private chat: "platform:id" separated by commas or spaces (e.g. telegram:12345). */
  ADMIN_USER_IDS: optionalString.pipe(
    z
      .string()
      .regex(/^(?:(?:telegram|discord|console):[^\s,]+[\s,]*)+$/, 'a list of platform:id (telegram, discord or console), separated by commas')
      .optional(),
  ),
  /** Prices of the model, per million tokens, for the dashboard's cost estimate (0: not shown). */
  LLM_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).default(0),
  LLM_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).default(0),
  /** How often each bot process looks for due daily reminders (ms); a reminder is claimed once across processes. */
  REMINDER_TICK_MS: int(50, 3_600_000).default(60_000),
  /** Where `npm run backup` (and BACKUP_EVERY_HOURS) write backups; relative paths are under the project root. */
  BACKUP_DIR: z.string().min(1).default('data/backups'),
  /** How many backups to keep (the oldest beyond this are deleted after each new one). */
  BACKUP_KEEP: int(1, 10_000).default(7),
  /** Set: the running bot snapshots its SQLite database itself this often (hours, e.g. 24 or 0.5). */
  BACKUP_EVERY_HOURS: optionalString.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'a number of hours, e.g. 24 or 0.5')
      .transform(Number)
      .refine((hours) => hours > 0 && hours <= 8_760, 'more than 0 and at most 8760 hours')
      .optional(),
  ),
});

export type Config = z.infer<typeof configSchema>;

/** Rules between settings, checked after each one parsed on its own. */
function crossChecks(config: Config): string[] {
  const problems: string[] = [];
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set (Telegram sends it back on every call)');
  }
  if (config.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{1,256}$/.test(config.TELEGRAM_WEBHOOK_SECRET)) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: 1–256 characters of A–Z, a–z, 0–9, _ and -');
  }
  if (config.DISCORD_SHARDS !== undefined && !config.DISCORD_TOKEN) {
    problems.push('DISCORD_SHARDS: needs DISCORD_TOKEN (the shards are Discord connections)');
  }
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable (never echoing secret values). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) {
    const problems = crossChecks(result.data);
    if (problems.length > 0) throw new ConfigError(problems);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(problems);
}
