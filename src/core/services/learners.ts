import pLimit from 'p-limit';
import { isLanguageCode, resolveLevel, type CefrLevel } from '../language.ts';
import { LAST_SEEN_RESOLUTION_MS, type UserRepository, type UserSettingsPatch } from '../repositories/user-repository.ts';
import type { UserRef } from '../types.ts';
import { stripControlCharacters } from '../safe-text.ts';

/** A learner with their effective defaults (their own settings, else the platform's locale, else the operator's). */
export interface Learner {
  id: number;
  displayName: string;
  targetLanguage: string;
  baseLanguage: string;
  level: CefrLevel;
  correctionsEnabled: boolean;
  /** Whether the learner chose a target language themselves (the welcome text suggests /settings if not). */
  hasChosenTarget: boolean;
  /** FSRS desired retention (0.70–0.97). */
  desiredRetention: number;
  /** IANA time zone, or null (UTC). */
  timezone: string | null;
  /** Daily reminder hour in the learner's time zone, or null when off. */
  reminderHour: number | null;
  /** Exercises and role-plays bring back their weakest deck cards (/settings practice-weak:on|off). */
  practiceWeak: boolean;
  /** The last level change proposed to them ("es:A2>B1"), each made once. */
  levelProposal: string | null;
  /** /settings voice:on — the tutor's role-play lines also come as voice notes. */
  voiceReplies: boolean;
}

export interface LearnerDefaults {
  targetLanguage: string;
  baseLanguage: string;
  level: CefrLevel;
}

type UserRow = Awaited<ReturnType<UserRepository['upsertByPlatformAccount']>>;

/** Platform accounts remembered at most; beyond it the least recently used is forgotten. */
const CACHE_ENTRIES = 10_000;

/**
 * Learner upserts (a cache miss: a new learner, a new name, a new day) sent to the database at once; the rest wait
 * their turn in arrival order. A burst of first messages (a bot added to a busy server, a backlog of updates after
 * a restart) otherwise holds every request's state in memory at once while one database connection works
 * through them: 1 000 in one tick added ~20–30 MB to the peak RSS (docs/benchmarks.md, "Many learners").
 */
const CONCURRENT_UPSERTS = 32;

/**
 * Learners by platform account, with a learner cache for the request path: a command and the adapter's words
 * after it cost no lookup while the entry is fresh. In this process an entry is replaced by /settings and
 * dropped by invalidate() (the dispatcher calls it after /settings, /remind, /link, /forget and Undo); a change
 * made by another process (several bots on PostgreSQL) is seen within `cacheTtlMs`.
 */
export class LearnerService {
  private readonly cache = new Map<string, { user: UserRow; expiresAt: number }>();
  private readonly upserts = pLimit(CONCURRENT_UPSERTS);

  constructor(
    private readonly users: UserRepository,
    private readonly defaults: LearnerDefaults,
    private readonly cacheTtlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(ref: UserRef): Promise<Learner> {
    // A platform name may hold control characters (a NUL breaks PostgreSQL text): store it without them.
    const name = stripControlCharacters(ref.displayName);
    const cached = this.cached(ref);
    // A new display name, or a last-seen day to refresh, goes to the database as before.
    if (cached && cached.displayName === name && this.now() - cached.lastSeenAt.getTime() <= LAST_SEEN_RESOLUTION_MS) return this.toLearner(cached, ref.locale);
    const username = ref.username === undefined ? undefined : stripControlCharacters(ref.username);
    const user = await this.upserts(() => this.users.upsertByPlatformAccount(ref.platform, ref.externalId, name, username));
    this.remember(ref, user);
    return this.toLearner(user, ref.locale);
  }

  /** The learner if they exist already; creates and changes nothing. */
  async find(ref: UserRef): Promise<Learner | undefined> {
    const cached = this.cached(ref);
    if (cached) return this.toLearner(cached, ref.locale);
    const user = await this.users.findByPlatformAccount(ref.platform, ref.externalId);
    if (user) this.remember(ref, user);
    return user ? this.toLearner(user, ref.locale) : undefined;
  }

  /** Forgets every cached learner: after a change the cache cannot follow (linking, forgetting, reminders). */
  invalidate(): void {
    this.cache.clear();
  }

  private cached(ref: UserRef): UserRow | undefined {
    if (this.cacheTtlMs <= 0) return undefined;
    const key = `${ref.platform}:${ref.externalId}`;
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    this.cache.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.cache.set(key, entry); // most recently used last
    return entry.user;
  }

  private remember(ref: UserRef, user: UserRow): void {
    if (this.cacheTtlMs <= 0) return;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(`${ref.platform}:${ref.externalId}`, { user, expiresAt: this.now() + this.cacheTtlMs });
  }

  async displayName(userId: number): Promise<string | undefined> {
    return (await this.users.findById(userId))?.displayName;
  }

  async updateSettings(learner: Learner, patch: UserSettingsPatch, locale?: string): Promise<Learner> {
    const user = await this.users.updateSettings(learner.id, patch);
    // Every account of this learner (linked platforms too) sees the new settings at once.
    for (const [key, entry] of this.cache) if (entry.user.id === user.id) this.cache.set(key, { ...entry, user });
    return this.toLearner(user, locale);
  }

  private toLearner(
    user: {
      id: number;
      displayName: string;
      defaultTargetLanguage: string | null;
      defaultBaseLanguage: string | null;
      level: string | null;
      correctionsEnabled: boolean;
      desiredRetention: number;
      timezone: string | null;
      reminderHour: number | null;
      practiceWeak: boolean;
      levelProposal: string | null;
      voiceReplies?: boolean;
    },
    locale: string | undefined,
  ): Learner {
    const localeLanguage = locale?.toLowerCase().split(/[-_]/)[0];
    const level = user.level ? resolveLevel(user.level) : undefined;
    return {
      id: user.id,
      displayName: user.displayName,
      targetLanguage: user.defaultTargetLanguage ?? this.defaults.targetLanguage,
      baseLanguage:
        user.defaultBaseLanguage ??
        (localeLanguage && isLanguageCode(localeLanguage) ? localeLanguage : this.defaults.baseLanguage),
      level: level?.ok ? level.level : this.defaults.level,
      correctionsEnabled: user.correctionsEnabled,
      hasChosenTarget: user.defaultTargetLanguage !== null,
      desiredRetention: user.desiredRetention,
      timezone: user.timezone,
      reminderHour: user.reminderHour,
      practiceWeak: user.practiceWeak,
      levelProposal: user.levelProposal,
      voiceReplies: user.voiceReplies ?? false,
    };
  }
}
