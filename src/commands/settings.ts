import { languageName } from '../core/language.ts';
import type { Learner } from '../core/services/learners.ts';
import type { Translator } from '../core/i18n/index.ts';
import type { Reply } from '../core/types.ts';
import { UserFacingError } from '../core/errors.ts';
import { canonicalTimeZone, isValidTimeZone } from '../core/time.ts';
import { defineCommand } from './define.ts';
import { languageOptions } from './options.ts';

function settingsView(t: Translator, learner: Learner, updated: boolean): Reply {
  return {
    blocks: [
      {
        kind: 'card',
        title: t('settings.title'),
        ...(updated ? { description: t('settings.updated') } : {}),
        fields: [
          { label: t('settings.target'), value: `${languageName(learner.targetLanguage, learner.baseLanguage)} (${learner.targetLanguage})` },
          { label: t('settings.base'), value: `${languageName(learner.baseLanguage, learner.baseLanguage)} (${learner.baseLanguage})` },
          { label: t('settings.level'), value: learner.level },
          { label: t('settings.corrections'), value: learner.correctionsEnabled ? t('settings.on') : t('settings.off') },
          { label: t('settings.retention'), value: `${Math.round(learner.desiredRetention * 100)} %` },
          { label: t('settings.timezone'), value: learner.timezone ?? 'UTC' },
          { label: t('voice.setting'), value: learner.voiceReplies ? t('settings.on') : t('settings.off') },
        ],
        footer: t('settings.howToChange'),
      },
    ],
    ephemeral: true,
  };
}

export const settingsCommand = defineCommand({
  name: 'settings',
  description: 'Show or change your languages, level and corrections',
  ephemeral: true,
  options: [
    ...languageOptions,
    { name: 'corrections', description: 'Correct my mistakes in role-plays (on/off)', type: 'boolean' },
    { name: 'retention', description: 'Review target in percent (70–97)', type: 'integer', min: 70, max: 97 },
    { name: 'tz', description: 'Your time zone, e.g. Europe/Madrid', type: 'string', maxLength: 64 },
    { name: 'voice', description: 'Role-play lines also as voice notes (on/off)', type: 'boolean' },
  ],
  async run(ctx, args) {
    if (args.tz !== undefined && !isValidTimeZone(args.tz)) throw new UserFacingError('errors.unknownTimezone', { input: args.tz });
    const patch = {
      ...(args.retention !== undefined ? { desiredRetention: args.retention / 100 } : {}),
      ...(args.tz !== undefined ? { timezone: canonicalTimeZone(args.tz) } : {}),
      ...(args.lang !== undefined ? { defaultTargetLanguage: args.lang } : {}),
      ...(args.base !== undefined ? { defaultBaseLanguage: args.base } : {}),
      ...(args.level !== undefined ? { level: args.level } : {}),
      ...(args.corrections !== undefined ? { correctionsEnabled: args.corrections } : {}),
      ...(args.voice !== undefined ? { voiceReplies: args.voice } : {}),
    };
    if (Object.keys(patch).length === 0) return [settingsView(ctx.t, ctx.learner, false)];
    const learner = await ctx.services.learners.updateSettings(ctx.learner, patch, ctx.user.locale);
    // The reply speaks the learner's (possibly new) base language.
    const t = await ctx.retranslate(learner);
    return [settingsView(t, learner, true)];
  },
});
