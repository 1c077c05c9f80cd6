import { isLanguageCode, resolveLevel, type CefrLevel } from '../language.ts';
import type { UserRepository, UserSettingsPatch } from '../repositories/user-repository.ts';
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
}

export interface LearnerDefaults {
  targetLanguage: string;
  baseLanguage: string;
  level: CefrLevel;
}

export class LearnerService {
  constructor(
    private readonly users: UserRepository,
    private readonly defaults: LearnerDefaults,
  ) {}

  async resolve(ref: UserRef): Promise<Learner> {
    // A platform name may hold control characters (a NUL breaks PostgreSQL text): store it without them.
    const name = stripControlCharacters(ref.displayName);
    const username = ref.username === undefined ? undefined : stripControlCharacters(ref.username);
    const user = await this.users.upsertByPlatformAccount(ref.platform, ref.externalId, name, username);
    return this.toLearner(user, ref.locale);
  }

  /** The learner if they exist already; creates and changes nothing. */
  async find(ref: UserRef): Promise<Learner | undefined> {
    const user = await this.users.findByPlatformAccount(ref.platform, ref.externalId);
    return user ? this.toLearner(user, ref.locale) : undefined;
  }

  async displayName(userId: number): Promise<string | undefined> {
    return (await this.users.findById(userId))?.displayName;
  }

  async updateSettings(learner: Learner, patch: UserSettingsPatch, locale?: string): Promise<Learner> {
    const user = await this.users.updateSettings(learner.id, patch);
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
    };
  }
}
