// The composition root: config → logger → database → activity log → LLM client → services → front door.
// Every dependency is passed explicitly; tests build the same core with their own config.
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { BufferedActivityLog } from './core/activity-log.ts';
import { ActivityJournal } from './core/journal/activity-journal.ts';
import { FeedbackJournal } from './core/journal/feedback-journal.ts';
import { isAbsolute, join } from 'node:path';
import { projectRoot } from './core/paths.ts';
import { isShardProcess } from './shard-env.ts';
import { openDatabase, type Database } from './core/db/client.ts';
import { watchDatabaseFile } from './core/db/sqlite-file.ts';
import { createI18n } from './core/i18n/index.ts';
import { resolveLanguage, resolveLevel } from './core/language.ts';
import { createLlmClient, type LlmClient } from './core/llm/client.ts';
import { ActivityLogRepository } from './core/repositories/activity-log-repository.ts';
import { CurriculumRepository } from './core/repositories/curriculum-repository.ts';
import { DailyUsageRepository } from './core/repositories/daily-usage-repository.ts';
import { ExerciseAttemptRepository } from './core/repositories/exercise-attempt-repository.ts';
import { FeedbackRepository } from './core/repositories/feedback-repository.ts';
import { GenerationRepository } from './core/repositories/generation-repository.ts';
import { PlatformMessageRepository } from './core/repositories/platform-message-repository.ts';
import { SavedContentRepository } from './core/repositories/saved-content-repository.ts';
import { SimulationRepository } from './core/repositories/simulation-repository.ts';
import { UserRepository } from './core/repositories/user-repository.ts';
import { CurriculumService } from './core/services/curricula.ts';
import { ExerciseService } from './core/services/exercises.ts';
import { FeedbackService } from './core/services/feedback.ts';
import { GenerationService } from './core/services/generation.ts';
import type { Services } from './core/services/index.ts';
import { LearnerService, type LearnerDefaults } from './core/services/learners.ts';
import { SavedItemService } from './core/services/saved-items.ts';
import { SimulationService } from './core/services/simulations.ts';
import { ReviewService } from './core/services/reviews.ts';
import { ReviewRepository } from './core/repositories/review-repository.ts';
import { StatsService } from './core/services/stats.ts';
import { StatsRepository } from './core/repositories/stats-repository.ts';
import { ExportService } from './core/services/export.ts';
import { ExportRepository } from './core/repositories/export-repository.ts';
import { PrivacyService } from './core/services/privacy.ts';
import { PrivacyRepository } from './core/repositories/privacy-repository.ts';
import { ReminderService } from './core/services/reminders.ts';
import { ReminderRepository } from './core/repositories/reminder-repository.ts';
import { LinkingService } from './core/services/linking.ts';
import { LinkingRepository } from './core/repositories/linking-repository.ts';
import { LearnerMaterialRepository } from './core/repositories/learner-material-repository.ts';
import { PersonalisationService } from './core/services/personalisation.ts';
import { LevelService } from './core/services/levels.ts';
import { LevelEvidenceRepository } from './core/repositories/level-evidence-repository.ts';
import { UserFacingError } from './core/errors.ts';
import { createFrontDoor } from './commands/dispatcher.ts';
import { HealthRepository } from './core/repositories/health-repository.ts';
import { DashboardRepository } from './core/repositories/dashboard-repository.ts';
import { OperatorReportService, parseOperatorIds } from './core/services/operator-report.ts';
import type { LlmClientOptions } from './core/llm/types.ts';
import type { RedisHandle } from './coordination/redis.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import type { TutorFrontDoor } from './commands/front-door.ts';
import { COMMANDS } from './commands/registry.ts';
import { MAX_VOICE_BYTES, VoiceService } from './core/services/voice.ts';
import { createVoiceProviders } from './core/speech/providers.ts';
import { ClipCache } from './core/speech/clip-cache.ts';

/** What src/main.ts applies before anything else; exported for the benchmark that runs the core alone. */
export { applyHeapPolicy } from './heap-policy.ts';

export interface Core {
  config: Config;
  database: Database;
  activityLog: BufferedActivityLog;
  llm: LlmClient;
  services: Services;
  frontDoor: TutorFrontDoor;
  /** The Redis connection shared by the processes of this bot (REDIS_URL); undefined: state in memory. */
  redis?: RedisHandle;
  /** This process's Prometheus metrics (served by the ops server, HEALTH_PORT). */
  metrics: Metrics;
  /** The operator dashboard's reads (the ops server's /admin, the /admin chat command). */
  dashboard: DashboardRepository;
  /** A cheap database round trip for /healthz; rejects when the database does not answer. */
  pingDatabase(): Promise<void>;
  /**
   * Whether the activity journal absorbs a database outage (ACTIVITY_JOURNAL on, and the database is
   * unreachable rather than gone: a deleted SQLite file is not an outage to wait out).
   */
  journalAbsorbsOutage(): boolean;
  /** Flushes the activity log, closes the LLM limiter, Redis and the database. Returns entries lost (0 normally). */
  stop(): Promise<number>;
}

export interface CoreOptions {
  /** The time source for scheduling (reviews, reminders, stats); tests move it forward. */
  clock?: () => Date;
  /** Told every SQL statement sent at run time (the statement-count test). */
  onQuery?: (sql: string) => void;
}

export async function createCore(config: Config, logger: Logger, options: CoreOptions = {}): Promise<Core> {
  const clock = options.clock ?? (() => new Date());
  const defaults = learnerDefaults(config);
  const database = await openDatabase(config.DATABASE_URL, {
    onMigrationsApplied: (names) => logger.info({ migrations: names }, 'database migrations applied'),
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    walCheckpointMs: config.SQLITE_CHECKPOINT_MS,
    onCheckpointerFailure: (error) =>
      logger.child({ component: 'database' }).error({ err: error }, 'the WAL checkpoint worker failed: SQLite checkpoints on the event loop again'),
  });
  const { prisma, provider } = database;
  // A SQLite file deleted or replaced under the running bot: an error line, and /healthz reports the database down.
  const databaseFile = watchDatabaseFile(database, logger.child({ component: 'database' }));

  const activityLogger = logger.child({ component: 'activity-log' });
  // Opened after the database (whose migrations the replay needs) and before anything logs. A directory
  // locked by another live process stops the start with a message naming ACTIVITY_JOURNAL_DIR.
  let journal: ActivityJournal | undefined;
  try {
    journal = config.ACTIVITY_JOURNAL === 'on' ? ActivityJournal.open(journalOptions(config, activityLogger)) : undefined;
  } catch (error) {
    await database.close();
    databaseFile.stop();
    throw error;
  }
  // Ratings and feedback given while the database is away wait in a sibling journal (same code, own directory).
  let feedbackJournal: FeedbackJournal | undefined;
  try {
    feedbackJournal = journal ? new FeedbackJournal({ ...journalOptions(config, logger.child({ component: 'feedback-journal' })), dir: join(journalOptions(config, activityLogger).dir, 'feedback') }) : undefined;
  } catch (error) {
    journal?.close();
    await database.close();
    databaseFile.stop();
    throw error;
  }
  const activityLog = new BufferedActivityLog(new ActivityLogRepository(prisma, provider), {
    batchSize: config.ACTIVITY_LOG_BATCH_SIZE,
    maxAgeMs: config.ACTIVITY_LOG_MAX_AGE_MS,
    maxBuffered: config.ACTIVITY_LOG_MAX_BUFFER,
    logger: activityLogger,
    ...(journal ? { journal } : {}),
    // SQLite writes block the event loop for a whole statement: replay it a batch at a time (learners wait less).
    ...(provider === 'sqlite' ? { replayBatch: config.ACTIVITY_LOG_BATCH_SIZE } : {}),
  });

  const metrics = createMetrics();
  metrics.watchActivityLog(() => activityLog.stats());
  if (feedbackJournal) metrics.watchDeferredFeedback(() => feedbackJournal.stats());
  // ioredis (and Bottleneck's cluster mode) are loaded only when REDIS_URL is set.
  const redis = config.REDIS_URL
    ? await (await import('./coordination/redis.ts')).connectRedis(config.REDIS_URL, { prefix: config.REDIS_KEY_PREFIX, logger })
    : undefined;
  const dailyUsage = new DailyUsageRepository(prisma, database.sql);
  const llm = createLlmClientFor(config, logger, dailyUsage, {
    ...(redis ? { redis: { connection: redis.connection, client: redis.client, prefix: redis.prefix } } : {}),
    onGeneration: metrics.llmGeneration,
  });
  const health = new HealthRepository(prisma);
  const feedbackRepository = new FeedbackRepository(prisma, database.sql);
  // Feedback whose log entry was written by a process that died before linking it (see FeedbackRepository).
  await feedbackRepository.linkAllWritten().catch((err: unknown) => logger.warn({ err }, 'feedback: could not link written log entries'));
  const generations = new GenerationRepository(prisma, database.sql, provider);
  const curriculaRepo = new CurriculumRepository(prisma);
  const generation = new GenerationService(llm, generations, activityLog, config.LLM_TEMPERATURE, new PersonalisationService(new LearnerMaterialRepository(database.sql)), metrics.contentProblem);
  const simulations = new SimulationService(generation, new SimulationRepository(prisma), curriculaRepo, config.SIMULATION_CONTEXT_TURNS);
  const reviews = new ReviewService(new ReviewRepository(prisma), clock);
  const i18n = createI18n();
  const learners = new LearnerService(new UserRepository(prisma, database.sql), defaults, config.LEARNER_CACHE_TTL_MS);
  const services: Services = {
    learners,
    generation,
    savedItems: new SavedItemService(generations, new SavedContentRepository(prisma), reviews),
    feedback: new FeedbackService(generations, feedbackRepository, feedbackJournal),
    exercises: new ExerciseService(generations, new ExerciseAttemptRepository(prisma)),
    simulations,
    curricula: new CurriculumService(generation, curriculaRepo, simulations),
    reviews,
    stats: new StatsService(new StatsRepository(prisma), clock),
    dataExport: new ExportService(new ExportRepository(prisma, provider), clock, {
      maxSavedItems: config.LEARNER_MAX_SAVED_ITEMS,
      maxReviewCards: config.LEARNER_MAX_REVIEW_CARDS,
      importsPerHour: config.IMPORTS_PER_HOUR,
      transactionTimeoutMs: config.IMPORT_TRANSACTION_TIMEOUT_MS,
    }),
    privacy: new PrivacyService(new PrivacyRepository(prisma), activityLog, clock),
    // The reminder scheduler (src/main.ts) calls reminders.sendDue with the running adapters' Notifier.
    reminders: new ReminderService(new ReminderRepository(prisma), reviews, i18n, clock),
    linking: new LinkingService(new LinkingRepository(prisma), activityLog, clock, i18n),
    messages: new PlatformMessageRepository(prisma, database.sql, provider),
    activityLog,
    levels: new LevelService(new LevelEvidenceRepository(prisma), learners),
    voice: new VoiceService({
      ...createVoiceProviders(config),
      cache: new ClipCache(config.VOICE_CACHE_DIR ?? join(projectRoot, 'data', 'voice-cache')),
      allowance: dailyUsage,
      activityLog,
      ...(llm.limited ? { limited: llm.limited } : {}),
      maxSeconds: config.VOICE_MAX_SECONDS,
      maxBytes: MAX_VOICE_BYTES,
      dailySeconds: config.VOICE_DAILY_SECONDS,
      timeoutMs: config.LLM_TIMEOUT_MS,
      now: () => clock().getTime(),
    }),
  };
  const dashboard = new DashboardRepository(prisma, provider);
  const operators = parseOperatorIds(config.ADMIN_USER_IDS);
  const frontDoor = createFrontDoor({
    services,
    i18n,
    commands: COMMANDS,
    onCommand: metrics.commandHandled,
    ...(operators.size > 0 ? { operatorReport: new OperatorReportService(dashboard, operators, clock) } : {}),
  });

  let stopped: Promise<number> | undefined;
  return {
    config,
    database,
    activityLog,
    llm,
    services,
    frontDoor,
    ...(redis ? { redis } : {}),
    metrics,
    dashboard,
    pingDatabase: async () => {
      const problem = databaseFile.check();
      if (problem) throw new Error(problem);
      await health.ping();
    },
    journalAbsorbsOutage: () => journal !== undefined && databaseFile.check() === undefined,
    stop() {
      stopped ??= (async () => {
        databaseFile.stop();
        const lost = await activityLog.close();
        await feedbackJournal?.close();
        await ('stop' in llm ? (llm as { stop(): Promise<void> }).stop() : undefined);
        await dailyUsage.flush().catch((error: unknown) => logger.error({ err: error }, 'could not record the last LLM token counts'));
        await redis?.close();
        await database.close();
        logger.info({ activityLog: activityLog.stats() }, 'core stopped');
        return lost;
      })();
      return stopped;
    },
  };
}

/**
 * The journal's settings: ACTIVITY_JOURNAL_DIR from the project root unless absolute. A Discord shard process
 * (DISCORD_SHARDS: children of this process with the same environment) takes a subdirectory per shard, so the
 * manager and its shards never compete for one directory, and a restarted shard finds its own journal.
 */
export function journalOptions(config: Config, logger: Logger, env: NodeJS.ProcessEnv = process.env) {
  const base = isAbsolute(config.ACTIVITY_JOURNAL_DIR) ? config.ACTIVITY_JOURNAL_DIR : join(projectRoot, config.ACTIVITY_JOURNAL_DIR);
  const dir = isShardProcess(env) ? join(base, `shard-${String(env.SHARDS).replace(/[^0-9,]/g, '').replace(/,/g, '-')}`) : base;
  return { dir, maxBytes: Math.round(config.ACTIVITY_JOURNAL_MAX_MB * 1024 * 1024), fsyncIntervalMs: config.ACTIVITY_JOURNAL_FSYNC_MS, logger };
}

function createLlmClientFor(
  config: Config,
  logger: Logger,
  usageStore: DailyUsageRepository,
  shared: Pick<LlmClientOptions, 'redis' | 'onGeneration'>,
): LlmClient {
  if (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) {
    // Nothing configured: every generation explains what to set; everything else works.
    return {
      generate: () => Promise.reject(new UserFacingError('errors.llmNotConfigured')),
    };
  }
  return createLlmClient({
    baseURL: config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
    ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
    model: config.OPENAI_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    stallTimeoutMs: config.LLM_STALL_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    maxConcurrent: config.LLM_MAX_CONCURRENT,
    callsPerMinute: config.LLM_CALLS_PER_MINUTE,
    queueTimeoutMs: config.LLM_QUEUE_TIMEOUT_MS,
    userCallsPerMinute: config.USER_CALLS_PER_MINUTE,
    userDailyQuota: config.USER_DAILY_QUOTA,
    temperature: config.LLM_TEMPERATURE,
    structuredOutput: config.LLM_STRUCTURED_OUTPUT,
    usageStore,
    logger: logger.child({ component: 'llm' }),
    ...shared,
  });
}

/** The operator's defaults, checked like learner input so a typo stops the start with a clear message. */
function learnerDefaults(config: Config): LearnerDefaults {
  const target = resolveLanguage(config.DEFAULT_TARGET_LANGUAGE);
  const base = resolveLanguage(config.DEFAULT_BASE_LANGUAGE);
  const level = resolveLevel(config.DEFAULT_LEVEL);
  const problems = [
    ...(target.ok ? [] : [`DEFAULT_TARGET_LANGUAGE: unknown language "${config.DEFAULT_TARGET_LANGUAGE}"`]),
    ...(base.ok ? [] : [`DEFAULT_BASE_LANGUAGE: unknown language "${config.DEFAULT_BASE_LANGUAGE}"`]),
    ...(level.ok ? [] : [`DEFAULT_LEVEL: unknown level "${config.DEFAULT_LEVEL}"`]),
  ];
  if (!target.ok || !base.ok || !level.ok) throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return { targetLanguage: target.code, baseLanguage: base.code, level: level.level };
}
