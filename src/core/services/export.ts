// /export and /import of a learner's saved items: an Anki file (cards only) and a versioned JSON file that
// /import reads back, on this server or another. Imported flashcards join the review deck like saved ones.
import type { FlashcardSet } from '../content/schemas.ts';
import { UserFacingError } from '../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ExportRepository, RestoredItemWithCards } from '../repositories/export-repository.ts';
import { yieldToEventLoop } from '../yield.ts';
import type { IncomingAttachment } from '../types.ts';
import type { Learner } from './learners.ts';
import { flashcardCards } from './reviews.ts';
import { ankiRows, ankiTsv } from './export/anki-tsv.ts';
import { savedItemKey } from './export/content-key.ts';
import { cutText, stripControlCharactersDeep } from '../safe-text.ts';
import { readExportFile } from './export/read-in-worker.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, itemSchema, MAX_IMPORT_ITEMS, type ExportFile, type ExportedItem } from './export/export-format.ts';

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

export interface ImportLimits {
  maxSavedItems: number;
  maxReviewCards: number;
  importsPerHour: number;
  transactionTimeoutMs: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxSavedItems: 5_000, maxReviewCards: 100_000, importsPerHour: 5, transactionTimeoutMs: 120_000 };

type ImportLog = Pick<Logger, 'info'>;

const HOUR_MS = 3_600_000;
/** Items validated between two turns of the event loop. */
const VALIDATED_PER_TURN = 25;

export class ExportService {
  /** Learners with an import under way, and when each learner's recent imports started. */
  private readonly running = new Set<number>();
  private readonly started = new Map<number, number[]>();

  constructor(
    private readonly repository: ExportRepository,
    private readonly clock: () => Date = () => new Date(),
    private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
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
   * inside a valid file, items already saved and items that fail validation are skipped and reported. The rest
   * is written all or nothing (ImportWriteError when the write fails), within the learner's limits.
   */
  async importSaved(learner: Pick<Learner, 'id'>, file: IncomingAttachment, log?: ImportLog): Promise<ImportReport> {
    const release = this.admit(learner.id);
    try {
      return await this.importFile(learner, file, log);
    } finally {
      release();
    }
  }

  /** One import at a time per learner, and at most `importsPerHour` of them (counted in this process). */
  private admit(userId: number): () => void {
    if (this.running.has(userId)) throw new UserFacingError('data.import.inProgress');
    const now = this.clock().getTime();
    const recent = (this.started.get(userId) ?? []).filter((at) => at > now - HOUR_MS);
    if (recent.length === 0) this.started.delete(userId); // the map keeps only learners with imports in the last hour
    if (recent.length >= this.limits.importsPerHour) {
      const minutes = Math.max(1, Math.ceil((recent[0]! + HOUR_MS - now) / 60_000));
      throw new UserFacingError('data.import.rateLimited', { count: this.limits.importsPerHour, minutes });
    }
    this.running.add(userId);
    return () => this.running.delete(userId);
  }

  /** Counts an import towards the hourly limit (only files that are exports count: a wrong file costs nothing). */
  private count(userId: number): void {
    const now = this.clock().getTime();
    this.started.set(userId, [...(this.started.get(userId) ?? []).filter((at) => at > now - HOUR_MS), now]);
  }

  private async importFile(learner: Pick<Learner, 'id'>, file: IncomingAttachment, log?: ImportLog): Promise<ImportReport> {
    // Parsed in a worker thread: the main thread gets the items back in small batches of JSON text.
    const head = await readExportFile(file.data, { batchSize: VALIDATED_PER_TURN, maxItems: MAX_IMPORT_ITEMS });
    if (head.format === EXPORT_FORMAT && typeof head.version === 'number' && head.version > EXPORT_VERSION) {
      throw new UserFacingError('data.import.newerVersion', { version: head.version, supported: EXPORT_VERSION });
    }
    if (!head.json || head.format !== EXPORT_FORMAT || head.version !== EXPORT_VERSION || head.itemCount < 0 || head.itemCount > MAX_IMPORT_ITEMS) {
      throw new UserFacingError('data.import.notExport', { filename: cutText(file.filename, 100) });
    }
    this.count(learner.id);
    const report: ImportReport = { total: head.itemCount, imported: 0, cardsAdded: 0, duplicates: 0, invalid: [] };
    const existing = new Set<string>();
    for (const [index, r] of (await this.repository.savedItemIdentities(learner.id)).entries()) {
      existing.add(savedItemKey(r.contentType, r.originalQuery, r.contentData));
      if (index % VALIDATED_PER_TURN === VALIDATED_PER_TURN - 1) await yieldToEventLoop();
    }
    const deck = new Set((await this.repository.cardIdentities(learner.id)).map((c) => cardKey(c.front, c.back)));
    const now = this.clock();
    const toRestore: RestoredItemWithCards[] = [];
    let index = -1;
    for (const batch of head.batches) {
      // Parsing and validation are CPU work: one batch per turn of the event loop, so other learners get in.
      await yieldToEventLoop();
      for (const original of JSON.parse(batch) as unknown[]) {
        index += 1;
        // Control characters (a NUL, an escape) are dropped before anything is checked or stored: PostgreSQL
        // refuses NUL in text, and the same file must import alike on both databases.
        const raw = stripControlCharactersDeep(original);
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
        for (const key of keys) existing.add(key);
        // A card already in the deck (same front and back) is not added twice, as with /save.
        const cards = item.type === 'flashcards' ? newToDeck(flashcardCards(item.content as FlashcardSet, item.targetLanguage), deck) : [];
        toRestore.push({
          key: keys[1]!,
          cards,
          contentType: item.type,
          originalQuery: item.query,
          contentData: item.content,
          targetLanguage: item.targetLanguage,
          baseLanguage: item.baseLanguage,
          userLabel: item.label,
          userNotes: item.notes,
          savedAt: item.savedAt ? new Date(item.savedAt) : now,
        });
      }
    }
    if (toRestore.length === 0) return report;

    const held = await this.repository.holdings(learner.id);
    const newCards = toRestore.reduce((n, item) => n + item.cards.length, 0);
    if (held.items + toRestore.length > this.limits.maxSavedItems) {
      throw new UserFacingError('data.import.tooManyItems', { adding: toRestore.length, held: held.items, limit: this.limits.maxSavedItems });
    }
    if (held.cards + newCards > this.limits.maxReviewCards) {
      throw new UserFacingError('data.import.tooManyCards', { adding: newCards, held: held.cards, limit: this.limits.maxReviewCards });
    }
    log?.info({ items: toRestore.length, cards: newCards }, 'import writing');
    try {
      const written = await this.repository.restoreAll(learner.id, toRestore, {
        now,
        timeoutMs: this.limits.transactionTimeoutMs,
        keyOf: (row) => savedItemKey(row.contentType, row.originalQuery, row.contentData),
      });
      report.imported = written.items;
      report.cardsAdded = written.cards;
    } catch (error) {
      throw new ImportWriteError(error);
    }
    return report;
  }
}

/** The write of an import failed and was rolled back: nothing of the file was stored. */
export class ImportWriteError extends Error {
  constructor(cause: unknown) {
    super('import write failed (rolled back)', { cause });
    this.name = 'ImportWriteError';
  }
}

/** The cards not in the deck yet (the deck then holds them). */
function newToDeck<T extends { front: string; back: string }>(cards: T[], deck: Set<string>): T[] {
  return cards.filter((card) => {
    const key = cardKey(card.front, card.back);
    if (deck.has(key)) return false;
    deck.add(key);
    return true;
  });
}

function cardKey(front: string, back: string): string {
  return `${front}\u0000${back}`;
}
