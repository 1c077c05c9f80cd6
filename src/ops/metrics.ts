// Prometheus metrics of one bot process, on a registry of its own (never prom-client's global one, so cores
// built side by side in tests do not collide). Fed by hooks: the front door's onCommand, the LLM client's
// onGeneration, and the activity log's stats() read at scrape time.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActivityLogStats } from '../core/activity-log.ts';
import type { DeferredFeedbackStats } from '../core/journal/feedback-journal.ts';
import type { GenerationReport } from '../core/llm/types.ts';

export type CommandOutcome = 'ok' | 'user_error' | 'internal_error';

export interface Metrics {
  readonly registry: Registry;
  commandHandled(command: string, outcome: CommandOutcome): void;
  llmGeneration(report: GenerationReport): void;
  /** A problem the content checks found in a generated reply (src/core/content/checks.ts), by kind. */
  contentProblem(kind: string): void;
  /** Reads the activity log's counters whenever metrics are scraped. */
  watchActivityLog(stats: () => ActivityLogStats): void;
  /** Reads the counters of ratings and feedback saved for later while the database was away. */
  watchDeferredFeedback(stats: () => DeferredFeedbackStats): void;
}

/** Learner-facing refusals that are rate limits, by the kind of limit. */
const RATE_LIMIT_KINDS: Record<string, string> = {
  'errors.userRateLimited': 'user_per_minute',
  'errors.dailyQuota': 'user_daily_quota',
  'errors.llmBusy': 'llm_busy',
};

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const commands = new Counter({
    name: 'tutor_commands_total',
    help: 'Commands handled, by command and outcome (ok, user_error, internal_error).',
    labelNames: ['command', 'outcome'] as const,
    registers,
  });
  const llmCalls = new Counter({
    name: 'tutor_llm_calls_total',
    help: "LLM generations, by outcome: ok, the learner's error key (e.g. llmBusy), or internal_error.",
    labelNames: ['outcome'] as const,
    registers,
  });
  const tokens = new Counter({
    name: 'tutor_llm_tokens_total',
    help: 'Tokens used by LLM generations, by kind (prompt, completion).',
    labelNames: ['kind'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'tutor_llm_latency_seconds',
    help: 'Time spent on HTTP calls of one generation (first call and repair), without queueing.',
    buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
    registers,
  });
  const contentProblems = new Counter({
    name: 'tutor_content_problems_total',
    help: 'Problems the checks found in generated replies before showing them (each reply judged counts each kind once), by kind: wrong_language_target, wrong_language_base, answer_not_in_choices, fill_in_gaps, count_short, …',
    labelNames: ['kind'] as const,
    registers,
  });
  const rejections = new Counter({
    name: 'tutor_rate_limit_rejections_total',
    help: 'Generations refused by a limit, by kind (user_per_minute, user_daily_quota, llm_busy).',
    labelNames: ['kind'] as const,
    registers,
  });

  let activityStats: (() => ActivityLogStats) | undefined;
  new Gauge({
    name: 'tutor_activity_log_buffered',
    help: 'Activity-log entries accepted and not yet written (waiting in memory or in a write under way).',
    registers,
    collect() {
      if (activityStats) this.set(activityStats().buffered);
    },
  });
  /** A counter that follows a running total read at scrape time, grown by what changed since the previous scrape. */
  const followTotal = (name: string, help: string, read: () => number | undefined) => {
    let seen = 0;
    return new Counter({
      name,
      help,
      registers,
      collect() {
        const value = read();
        if (value === undefined) return;
        if (value > seen) this.inc(value - seen);
        seen = value;
      },
    });
  };
  // The longest the event loop was blocked since the previous scrape (a long synchronous job stalls every learner).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  new Gauge({
    name: 'tutor_event_loop_delay_max_seconds',
    help: 'Longest event-loop delay since the previous scrape (perf_hooks.monitorEventLoopDelay, 10 ms resolution).',
    registers,
    collect() {
      this.set(loopDelay.max / 1e9);
      loopDelay.reset();
    },
  });
  // The activity journal (ACTIVITY_JOURNAL): absent from the stats when it is off (the gauges then read 0).
  const journalGauge = (name: string, help: string, read: (j: NonNullable<ActivityLogStats['journal']>) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const journal = activityStats?.().journal;
        this.set(journal ? read(journal) : 0);
      },
    });
  journalGauge('tutor_activity_journal_bytes', 'Size of the activity journal on disk (bytes).', (j) => j.bytes);
  journalGauge('tutor_activity_journal_segments', 'Segment files in the activity journal.', (j) => j.segments);
  journalGauge('tutor_activity_journal_entries_waiting', 'Entries in the activity journal not yet in the database.', (j) => j.pending);
  const journalCounter = (name: string, help: string, read: (j: NonNullable<ActivityLogStats['journal']>) => number) =>
    followTotal(name, help, () => {
      const journal = activityStats?.().journal;
      return journal ? read(journal) : undefined;
    });
  journalCounter('tutor_activity_journal_replays_total', 'Times entries were read back from the journal (at start, after an outage).', (j) => j.replays);
  journalCounter('tutor_activity_journal_replayed_entries_total', 'Entries written to the database from the journal.', (j) => j.replayedEntries);
  journalCounter('tutor_activity_journal_dropped_segments_total', 'Journal segments dropped over ACTIVITY_JOURNAL_MAX_MB.', (j) => j.droppedSegments);
  journalCounter('tutor_activity_journal_dropped_entries_total', 'Entries not yet in the database lost with dropped journal segments (exact).', (j) => j.droppedEntries);
  // Ratings and feedback given while the database was away (the feedback journal): waiting, and what became of them.
  let deferredStats: (() => DeferredFeedbackStats) | undefined;
  new Gauge({
    name: 'tutor_feedback_deferred_waiting',
    help: 'Ratings and feedback saved for later while the database was away, not yet in the database.',
    registers,
    collect() {
      this.set(deferredStats?.().pending ?? 0);
    },
  });
  const deferredCounter = (name: string, help: string, field: 'queued' | 'written' | 'refused') => followTotal(name, help, () => deferredStats?.()[field]);
  deferredCounter('tutor_feedback_deferred_total', 'Ratings and feedback saved for later because the database was away.', 'queued');
  deferredCounter('tutor_feedback_deferred_written_total', 'Ratings and feedback saved for later and written once the database was back.', 'written');
  deferredCounter('tutor_feedback_deferred_refused_total', 'Ratings and feedback saved for later and refused when written (their content was gone).', 'refused');
  followTotal('tutor_activity_log_flush_failures_total', 'Activity-log batch writes that failed (retried later).', () => activityStats?.().failedWrites);
  followTotal('tutor_activity_log_dropped_total', 'Activity-log entries dropped because the buffer was full.', () => activityStats?.().dropped);

  return {
    registry,
    commandHandled(command, outcome) {
      commands.inc({ command, outcome });
    },
    llmGeneration(report) {
      const outcome = report.outcome.replace(/^errors\./, '');
      llmCalls.inc({ outcome });
      const kind = RATE_LIMIT_KINDS[report.outcome];
      if (kind) rejections.inc({ kind });
      if (report.usage.promptTokens > 0) tokens.inc({ kind: 'prompt' }, report.usage.promptTokens);
      if (report.usage.completionTokens > 0) tokens.inc({ kind: 'completion' }, report.usage.completionTokens);
      if (report.httpRequests > 0) latency.observe(report.latencyMs / 1000);
    },
    contentProblem(kind) {
      contentProblems.inc({ kind });
    },
    watchActivityLog(stats) {
      activityStats = stats;
    },
    watchDeferredFeedback(stats) {
      deferredStats = stats;
    },
  };
}
