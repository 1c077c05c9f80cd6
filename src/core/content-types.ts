/** What the tutor generates. Stored as text; the database checks the same list. */
export const CONTENT_TYPES = [
  'flashcards',
  'exercises',
  'simulation',
  'simulation_turn',
  'simulation_summary',
  'curriculum',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** What the activity log records: every generation, plus speech out (pronunciation) and in (transcription). */
export const ACTIVITY_CONTENT_TYPES = [...CONTENT_TYPES, 'pronunciation', 'transcription'] as const;
export type ActivityContentType = (typeof ACTIVITY_CONTENT_TYPES)[number];

/** Whether an activity-log entry is the learner's input or the generated output. */
export const LOG_DIRECTIONS = ['input', 'output'] as const;
export type LogDirection = (typeof LOG_DIRECTIONS)[number];

/** Content a learner can save, rate and export. */
export const SAVEABLE_TYPES = ['flashcards', 'exercises', 'simulation', 'curriculum'] as const satisfies readonly ContentType[];
export type SaveableType = (typeof SAVEABLE_TYPES)[number];

export function isContentType(value: string): value is ContentType {
  return (CONTENT_TYPES as readonly string[]).includes(value);
}
