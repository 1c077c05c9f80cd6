// Public shapes of the LLM client. Other modules import them from './client.ts', which re-exports them.
import type * as z from 'zod';
import type Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import type { StructuredOutputSetting } from './structured-mode.ts';

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedPromptTokens: number;
}

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StructuredRequest<T> {
  schema: z.ZodType<T>; // zod 4 schema of the reply object (top level is always a z.object)
  schemaName: string; // e.g. 'flashcards'
  messages: LlmMessage[]; // messages[0] is the stable system prefix (kept first, unchanged, so providers can cache it)
  userId: number; // for per-user limits and the daily quota
  log: Logger; // per-request child logger
  temperature?: number;
  maxTokens?: number;
  /**
   * Optional extra check after schema validation ("is it in the target language?", "is every answer one of its
   * choices?"). Problems (or one description) trigger the single repair request, which names them all.
   */
  check?: (value: T) => string | readonly ReplyProblem[] | undefined;
  /**
   * Progress: called with the reply object as written so far while the first reply streams (never for the repair
   * reply). Unchecked: the caller shows only what its own per-item checks accept. Its failures are ignored.
   */
  onPartial?: PartialListener;
}

export interface PartialListener {
  /** Pass strings still being written (growing text), not only complete ones. */
  growingStrings: boolean;
  receive(partial: Record<string, unknown>): void;
}

/** What a request's check found wrong in a schema-valid reply. */
export interface ReplyProblem {
  /** A short stable name, e.g. 'wrong_language' or 'answer_not_in_choices' (a metrics label). */
  kind: string;
  /** What is wrong, for the repair request. */
  detail: string;
  /**
   * When the repair reply still has it: true ends the generation with the learner's 'errors.wrongLanguage';
   * false accepts the reply, and the caller mends it (drops the faulty item). A description string counts as true.
   */
  blocking: boolean;
}

export interface StructuredResult<T> {
  value: T;
  usage: LlmUsage;
  model: string;
  /** Time spent on HTTP calls (first call + repair), excluding time waiting in the limiter's queue. */
  latencyMs: number;
  /** HTTP requests actually sent for this generation, including the SDK's own retries and the repair call. */
  attempts: number;
  /** True when the first reply was unusable and the repair reply was used. */
  repaired: boolean;
}

export interface LlmClient {
  generate<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>>;
  /**
   * Runs another provider call (speech) under the same limits as a generation: the learner's per-minute limit
   * and daily quota, then the global limiter's queue. Absent when no model is configured.
   */
  limited?<T>(userId: number, run: () => Promise<T>): Promise<T>;
}

export interface DailyUsageStore {
  /** Counts one generation for (userId, UTC day 'YYYY-MM-DD') and returns the new count for that day. */
  reserveCall(userId: number, day: string): Promise<number>;
  /** Adds tokens used to (userId, day). */
  addTokens(userId: number, day: string, tokens: number): Promise<void>;
}

export interface LlmClientOptions {
  baseURL: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  stallTimeoutMs: number;
  maxRetries: number;
  maxConcurrent: number;
  callsPerMinute: number;
  queueTimeoutMs: number;
  userCallsPerMinute: number;
  userDailyQuota: number;
  temperature: number;
  /** How replies are kept to the schema (see structured-mode.ts); default 'auto'. */
  structuredOutput?: StructuredOutputSetting;
  usageStore: DailyUsageStore;
  logger: Logger;
  now?: () => number; // injectable clock for tests
  /** Shares the global limiter and the per-user limit with every process on the same Redis and prefix. */
  redis?: LlmRedisOptions;
  /** Observes each generate() as it ends (metrics); must not throw. */
  onGeneration?: (report: GenerationReport) => void;
}

export interface LlmRedisOptions {
  /** A Bottleneck connection over `client`, shared by the limiters. */
  connection: Bottleneck.IORedisConnection;
  client: Redis;
  /** Key prefix; processes with the same prefix share limits. */
  prefix: string;
}

export interface GenerationReport {
  /** 'ok', the learner-facing error key (e.g. 'errors.llmBusy'), or 'internal_error'. */
  outcome: string;
  usage: LlmUsage;
  /** Time spent on HTTP calls (0 when refused before any). */
  latencyMs: number;
  httpRequests: number;
}

export const ZERO_USAGE: LlmUsage = Object.freeze({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cachedPromptTokens: 0,
});

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    cachedPromptTokens: a.cachedPromptTokens + b.cachedPromptTokens,
  };
}
