import { errorReference, UserFacingError } from '../core/errors.ts';
import { ImportWriteError } from '../core/services/export.ts';
import type { Reply } from '../core/types.ts';
import { defineCommand } from './define.ts';

/** Invalid items are listed one by one up to this many; the rest are counted. */
const LISTED_INVALID = 5;

export const importCommand = defineCommand({
  name: 'import',
  description: 'Restore saved items from the JSON file of /export',
  ephemeral: true,
  options: [{ name: 'file', description: 'The .json file that /export made', type: 'attachment', required: true }],
  async run(ctx): Promise<Reply[]> {
    const { t } = ctx;
    if (!ctx.attachment) throw new UserFacingError('data.import.noFile');
    let report;
    try {
      report = await ctx.services.dataExport.importSaved(ctx.learner, ctx.attachment, ctx.log);
    } catch (error) {
      if (!(error instanceof ImportWriteError)) throw error;
      // Rolled back: the learner is told nothing was imported, the operator finds the cause by the reference.
      const ref = errorReference();
      ctx.log.error({ err: error.cause, ref }, 'import failed and was rolled back');
      throw new UserFacingError('data.import.failed', { ref });
    }
    if (report.total === 0) return [{ blocks: [{ kind: 'text', text: t('data.import.nothing') }], ephemeral: true }];
    const lines = [t('data.import.done', { imported: report.imported, total: report.total, cards: report.cardsAdded })];
    if (report.duplicates > 0) lines.push(t('data.import.skippedDuplicates', { count: report.duplicates }));
    for (const item of report.invalid.slice(0, LISTED_INVALID)) lines.push(t('data.import.skippedInvalid', item));
    if (report.invalid.length > LISTED_INVALID) lines.push(t('data.import.moreSkipped', { count: report.invalid.length - LISTED_INVALID }));
    return [{ blocks: [{ kind: 'text', text: lines.join('\n') }], ephemeral: true }];
  },
});
