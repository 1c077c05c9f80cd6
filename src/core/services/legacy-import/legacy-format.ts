// One curriculum file of the earlier tutor (seed 2, "Database Integration": data/curricula/*.json), as read by
// `npm run import-legacy`. The seed fixes the tables, not the files, so the accepted shape is:
//
//   { id, user_id, title, description, native_language, target_language, proficiency, lesson_topic, status,
//     created_at, updated_at,
//     lessons: [{ id, sub_topic, description, keywords,
//                 flashcards: [{ id, word, definition, example }],
//                 exercises: [{ id, sentence, answer, choices, explanation }],
//                 simulations: [{ id, title, setting, content }] }] }
//
// Required: id, user_id, title, native_language, target_language, proficiency, lessons; per lesson id and
// sub_topic; per flashcard id, word and definition; per exercise id, sentence and answer; per simulation id
// and title. keywords and choices are arrays or (as the seed's TEXT columns held them) JSON text of an array.
import * as z from 'zod';

const id = z.union([z.string().trim().min(1).max(200), z.number().int()]).transform(String);
const optionalText = z.string().nullish().transform((v) => v ?? '');

/** Seconds or milliseconds since 1970, ISO 8601, or SQLite's "YYYY-MM-DD HH:MM:SS" (read as UTC, as SQLite writes it). */
const timestamp = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === '') return undefined;
    const date =
      typeof value === 'number'
        ? new Date(value < 1e11 ? value * 1000 : value)
        : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.trim().replace(' ', 'T')}Z`);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return date;
  });

/** A list of strings, or JSON text of one; plain text is read as a comma-separated list. */
const stringList = z
  .union([z.array(z.union([z.string(), z.number()]).transform(String)), z.string()])
  .nullish()
  .transform((value) => {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value;
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: fall through to commas
    }
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  });

/** Simulation content is kept as it was; JSON text is stored as the JSON it holds. */
const jsonContent = z.unknown().transform((value) => {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
});

export const legacyCurriculumSchema = z.object({
  id,
  user_id: id,
  title: z.string().trim().min(1),
  description: optionalText,
  native_language: z.string().trim().min(1),
  target_language: z.string().trim().min(1),
  proficiency: z.string().trim().min(1),
  lesson_topic: optionalText,
  status: optionalText,
  created_at: timestamp,
  updated_at: timestamp,
  lessons: z.array(
    z.object({
      id,
      sub_topic: z.string().trim().min(1),
      description: optionalText,
      keywords: stringList,
      flashcards: z
        .array(z.object({ id, word: z.string().min(1), definition: z.string().min(1), example: optionalText }))
        .nullish()
        .transform((v) => v ?? []),
      exercises: z
        .array(z.object({ id, sentence: z.string().min(1), answer: z.string().min(1), choices: stringList, explanation: optionalText }))
        .nullish()
        .transform((v) => v ?? []),
      simulations: z
        .array(z.object({ id, title: z.string().min(1), setting: optionalText, content: jsonContent }))
        .nullish()
        .transform((v) => v ?? []),
    }),
  ),
});

export type LegacyCurriculum = z.output<typeof legacyCurriculumSchema>;
