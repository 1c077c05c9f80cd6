// /link: a one-time code for joining accounts; /link CODE (from the other platform): join them.
import type { Translator } from '../core/i18n/index.ts';
import { languageName } from '../core/language.ts';
import type { Learner } from '../core/services/learners.ts';
import type { MergeSummary } from '../core/repositories/linking-repository.ts';
import { textReply } from '../core/types.ts';
import { defineCommand } from './define.ts';

export const linkCommand = defineCommand({
  name: 'link',
  description: 'Link your accounts on two platforms: get a code, then send it from the other one',
  ephemeral: true,
  options: [{ name: 'code', description: 'The code from /link on your other account', type: 'string', rest: true, maxLength: 32 }],
  async run(ctx, args) {
    const { linking } = ctx.services;
    if (!args.code?.trim()) {
      const { code, minutes } = await linking.createCode(ctx.learner, ctx.conversation, ctx.user);
      return [textReply(`${ctx.t('loop.linkCode', { code })}\n\n${ctx.t('loop.linkHowTo', { code, minutes })}`, { ephemeral: true })];
    }
    const summary = await linking.redeem(ctx.learner, ctx.user, ctx.conversation, args.code);
    ctx.services.learners.invalidate(); // this account's learner changed: read it afresh
    // This account now belongs to the kept learner: answer with their settings, in their language.
    const merged = await ctx.services.learners.resolve(ctx.user);
    return [textReply(mergedText(await ctx.retranslate(merged), summary, merged), { ephemeral: true })];
  },
});

function mergedText(t: Translator, summary: MergeSummary, learner: Learner): string {
  const { moved } = summary;
  const lines = [
    t('loop.linkDone', { accounts: summary.platforms.join(', ') }),
    t('loop.linkMoved', {
      savedItems: moved.savedItems,
      cards: moved.cards,
      reviews: moved.reviews,
      attempts: moved.attempts,
      courses: moved.courses,
      simulations: moved.simulations,
    }),
  ];
  if (summary.duplicateCards > 0) lines.push(t('loop.linkDuplicates', { count: summary.duplicateCards }));
  lines.push(
    t('loop.linkSettingsKept', {
      target: languageName(learner.targetLanguage, learner.baseLanguage),
      level: learner.level,
      zone: learner.timezone ?? 'UTC',
    }),
  );
  if (summary.filledSettings.length > 0) {
    lines.push(t('loop.linkSettingsFilled', { settings: summary.filledSettings.map((s) => t(`loop.settingNames.${s}`)).join(', ') }));
  }
  return lines.join('\n');
}
