// /export and /import of a learner's saved items: an Anki file (cards only) and a versioned JSON file that
// /import reads back, on this server or another. Imported flashcards join the review deck like saved ones.
import type { FlashcardSet } from '../content/schemas.ts';
import { UserFacingError } from '../errors.ts';
import type { ExportRepository } from '../repositories/export-repository.ts';
import type { IncomingAttachment } from '../types.ts';
import type { Learner } from './learners.ts';
import type { ReviewService } from './reviews.ts';
import { ankiRows, ankiTsv } from './export/anki-tsv.ts';
import { savedItemKey } from './export/content-key.ts';
import { envelopeSchema, EXPORT_FORMAT, EXPORT_VERSION, itemSchema, type ExportFile, type ExportedItem } from './export/export-format.ts';

export interface SavedItemsExport {
  items: number;
  /** Rows in the Anki file (0: no flashcards or exercises saved). */
  cards: number;
  tsv: string;
  json: string;
}

export interface ImportReport {
  total: number;
  imported: number;
  cardsAdded: number;
  duplicates: number;
  /** Items that failed validation: 1-based position in the file and the first field at fault. */
  invalid: Array<{ number: number; field: string }>;
}

export class ExportService {
  constructor(
    private readonly repository: ExportRepository,
    private readonly reviews: ReviewService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async exportSaved(learner: Pick<Learner, 'id'>): Promise<SavedItemsExport> {
    const rows = await this.repository.savedItems(learner.id);
    const cards = ankiRows(rows.map((r) => ({ id: r.number, type: r.contentType, content: r.contentData, targetLanguage: r.targetLanguage })));
    const items: ExportedItem[] = rows.map((r) => ({
      id: r.number,
      type: r.contentType as ExportedItem['type'],
      query: r.originalQuery,
      content: r.contentData,
      targetLanguage: r.targetLanguage,
      baseLanguage: r.baseLanguage,
      label: r.userLabel,
      notes: r.userNotes,
      savedAt: r.savedAt.toISOString(),
    }));
    const file: ExportFile = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: this.clock().toISOString(), items };
    return { items: rows.length, cards: cards.length, tsv: ankiTsv(cards), json: `${JSON.stringify(file, null, 2)}\n` };
  }

  /**
   * Restores items from an export file. A file that is not an export is refused as a whole (nothing changes);
   * inside a valid file, items already saved and items that fail validation are skipped and reported.
   */
  async importSaved(learner: Pick<Learner, 'id'>, file: IncomingAttachment): Promise<ImportReport> {
    const json = parseJson(file.data);
    const head = (json && typeof json === 'object' ? json : {}) as { format?: unknown; version?: unknown };
    if (head.format === EXPORT_FORMAT && typeof head.version === 'number' && head.version > EXPORT_VERSION) {
      throw new UserFacingError('data.import.newerVersion', { version: head.version, supported: EXPORT_VERSION });
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) throw new UserFacingError('data.import.notExport', { filename: file.filename.slice(0, 100) });
    const report: ImportReport = { total: envelope.data.items.length, imported: 0, cardsAdded: 0, duplicates: 0, invalid: [] };
    const existing = new Set((await this.repository.savedItemIdentities(learner.id)).map((r) => savedItemKey(r.contentType, r.originalQuery, r.contentData)));
    for (const [index, raw] of envelope.data.items.entries()) {
      const parsed = itemSchema.safeParse(raw);
      if (!parsed.success) {
        report.invalid.push({ number: index + 1, field: parsed.error.issues[0]?.path.join('.') || 'item' });
        continue;
      }
      const item = parsed.data;
      // The file's own content and the validated one (zod drops unknown keys) both identify the item.
      const keys = [savedItemKey(item.type, item.query, (raw as { content: unknown }).content), savedItemKey(item.type, item.query, item.content)];
      if (keys.some((k) => existing.has(k))) {
        report.duplicates += 1;
        continue;
      }
      const saved = await this.repository.restore(learner.id, {
        contentType: item.type,
        originalQuery: item.query,
        contentData: item.content,
        targetLanguage: item.targetLanguage,
        baseLanguage: item.baseLanguage,
        userLabel: item.label,
        userNotes: item.notes,
        savedAt: item.savedAt ? new Date(item.savedAt) : this.clock(),
      });
      for (const key of keys) existing.add(key);
      report.imported += 1;
      if (item.type === 'flashcards') {
        report.cardsAdded += await this.reviews.addFlashcards(learner, saved.id, item.content as FlashcardSet, item.targetLanguage);
      }
    }
    return report;
  }
}

/** The file as JSON, or undefined when it is not UTF-8 JSON at all. */
function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    return undefined;
  }
}
