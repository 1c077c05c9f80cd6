// `/admin` for operators in a private chat (ADMIN_USER_IDS). Not in the command registry: it is not offered
// to learners (no Discord slash command, not in /help), and the front door answers it only for an operator,
// with what an unknown command gets for everyone else.
import type { Translator } from '../core/i18n/index.ts';
import type { OperatorReportService } from '../core/services/operator-report.ts';
import { cutText } from '../core/safe-text.ts';
import type { Reply } from '../core/types.ts';

export const OPERATOR_COMMAND = 'admin';

export async function operatorReport(report: OperatorReportService, t: Translator): Promise<Reply[]> {
  const f = await report.figures();
  const lines = [
    t('operator.title', { day: f.day }),
    t('operator.active', { day: f.activeDay, week: f.activeWeek }),
    t('operator.generations', { count: f.generations }),
    t('operator.ratings', { count: f.ratings, average: f.ratings ? f.averageRating.toFixed(2) : '—' }),
    t('operator.tokens', { prompt: f.promptTokens, completion: f.completionTokens }),
    t('operator.refusals', { quota: f.quotaHits, rate: f.rateLimited }),
    '',
    f.worst.length ? t('operator.worstTitle') : t('operator.noRatings'),
    ...f.worst.map((w) =>
      t('operator.worstItem', {
        id: w.generationId,
        type: w.contentType,
        language: w.targetLanguage,
        level: w.level,
        version: w.promptVersion ?? '—',
        average: w.average.toFixed(1),
        count: w.ratings,
        query: cutText(w.queryText.replace(/\s+/g, ' '), 80),
      }),
    ),
  ];
  const png = await report.chart(f, t('operator.chartTitle'));
  return [{ blocks: [{ kind: 'text', text: lines.join('\n') }], attachment: { filename: 'admin.png', mimeType: 'image/png', data: png }, ephemeral: true }];
}
