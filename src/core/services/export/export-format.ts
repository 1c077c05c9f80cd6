// The JSON file of /export and /import: versioned, so a later format can still read (or clearly refuse) it.
import * as z from 'zod';
import { SAVEABLE_TYPES, type SaveableType } from '../../content-types.ts';
import { curriculumSchema, exerciseSetSchema, flashcardSetSchema, scenarioSchema } from '../../content/schemas.ts';
import { isLanguageCode } from '../../language.ts';
import { LABEL_MAX_LENGTH, NOTES_MAX_LENGTH } from '../saved-items.ts';

export const EXPORT_FORMAT = 'language-tutor-export';
export const EXPORT_VERSION = 1;
/** More items than anyone saves by hand; keeps a crafted file from running an import for minutes. */
export const MAX_IMPORT_ITEMS = 5_000;

export interface ExportedItem {
  /** The learner's item number when exported (#1, #2 … of theirs; for reference only: an import gives new numbers). */
  id: number;
  type: SaveableType;
  query: string;
  content: unknown;
  targetLanguage: string | null;
  baseLanguage: string | null;
  label: string | null;
  notes: string | null;
  savedAt: string;
}

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  items: ExportedItem[];
}

const language = z
  .string()
  .refine((code) => isLanguageCode(code), 'not an ISO 639-1 code')
  .nullable()
  .default(null);

const CONTENT_SCHEMAS: Record<SaveableType, z.ZodType> = {
  flashcards: flashcardSetSchema,
  exercises: exerciseSetSchema,
  simulation: scenarioSchema,
  curriculum: curriculumSchema,
};

/** One item; its content is checked against the schema of its type (the same the generator enforces). */
export const itemSchema = z
  .object({
    type: z.enum(SAVEABLE_TYPES),
    query: z.string().min(1).max(4_000),
    content: z.unknown(),
    targetLanguage: language,
    baseLanguage: language,
    label: z.string().max(LABEL_MAX_LENGTH).nullable().default(null),
    notes: z.string().max(NOTES_MAX_LENGTH).nullable().default(null),
    savedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .transform((item, ctx) => {
    const content = CONTENT_SCHEMAS[item.type].safeParse(item.content);
    if (!content.success) {
      const first = content.error.issues[0];
      ctx.addIssue({ code: 'custom', path: ['content', ...(first?.path ?? [])], message: first?.message ?? 'invalid content' });
      return z.NEVER;
    }
    return { ...item, content: content.data };
  });

export type ImportedItem = z.output<typeof itemSchema>;
