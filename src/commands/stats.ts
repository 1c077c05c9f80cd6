import { STATS_DAYS } from '../core/services/stats.ts';
import { renderStatsChart } from '../core/services/stats/stats-chart.ts';
import type { Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';

export const statsCommand = defineCommand({
  name: 'stats',
  description: 'Your progress: activity chart, streak, deck and accuracy',
  ephemeral: true,
  options: [],
  async run(ctx): Promise<Reply[]> {
    const { t } = ctx;
    const stats = await ctx.services.stats.forLearner(ctx.learner);
    const png = await renderStatsChart(stats, { title: t('data.stats.chartTitle', { days: STATS_DAYS }), requests: t('data.stats.requests'), reviews: t('data.stats.reviews') });
    const sum = (pick: (d: (typeof stats.days)[number]) => number) => stats.days.reduce((n, d) => n + pick(d), 0);
    const { answered, right } = stats.exercises;
    const lines = [
      t('data.stats.title'),
      t('data.stats.activity', {
        days: STATS_DAYS,
        requests: sum((d) => d.requests),
        activeDays: stats.days.filter((d) => d.requests + d.reviews > 0).length,
        reviews: sum((d) => d.reviews),
      }),
      t('data.stats.streak', { count: stats.streak }),
      t('data.stats.cards', { due: stats.deck.dueNow, learned: stats.deck.learned, total: stats.deck.total }),
      answered > 0 ? t('data.stats.accuracy', { right, answered, percent: Math.round((right / answered) * 100) }) : t('data.stats.noExercises'),
      t('data.stats.ratings', { count: stats.ratingsGiven }),
    ];
    return [{ blocks: [{ kind: 'text', text: lines.join('\n') }], attachment: { filename: 'stats.png', mimeType: 'image/png', data: png }, ephemeral: true }];
  },
});
