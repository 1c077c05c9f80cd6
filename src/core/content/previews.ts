// What of a reply that is still being written may be shown already. Each preview is a prefix of what the
// final, checked value can be: only items that are complete and pass the same per-item checks as the final
// validation (a set stops at the first item that would not), and the role-play reply as it grows. What the
// final check still refuses (a set-level check, a repair) is corrected by the final message, which replaces
// every preview.
import * as z from 'zod';
import type { PartialListener } from '../llm/types.ts';
import { cutText, stripControlCharactersDeep } from '../safe-text.ts';
import { exerciseQuestionSchema, flashcardSetSchema, simulationTurnSchema, type ExerciseSet, type FlashcardSet } from './schemas.ts';

export type Preview =
  | { kind: 'flashcards'; title: string; cards: FlashcardSet['cards'] }
  | { kind: 'exercises'; title: string; questions: ExerciseSet['questions'] }
  | { kind: 'turn'; speaker: string; reply: string };

/** Receives each new preview of one request (never the same one twice). */
export type PreviewSink = (preview: Preview) => void;

type Json = Record<string, unknown>;

const cardSchema = flashcardSetSchema.shape.cards.element;
const titleSchema = z.string().min(1).max(200);

/** The longest run of leading items that parse with `item` and pass `fits`; stops at the first that does not. */
function leadingItems<I>(json: Json, key: string, item: z.ZodType<I>, limit: number, fits: (value: I) => boolean = () => true): I[] {
  const list = json[key];
  if (!Array.isArray(list)) return [];
  const out: I[] = [];
  for (const raw of list) {
    if (out.length >= limit) break;
    const parsed = item.safeParse(raw);
    if (!parsed.success || !fits(parsed.data)) break;
    out.push(stripControlCharactersDeep(parsed.data) as I);
  }
  return out;
}

function titleOf(json: Json): string {
  const parsed = titleSchema.safeParse(json.title);
  return parsed.success ? (stripControlCharactersDeep(parsed.data) as string) : '';
}

/** Flashcards: complete cards (up to the asked count); a card whose word equals its translation waits for the final check. */
export function flashcardsPreview(json: Json, asked: number, known?: (word: string) => boolean): Preview | undefined {
  const leading = leadingItems(json, 'cards', cardSchema, asked, (c) => c.word.trim().toLowerCase() !== c.translation.trim().toLowerCase());
  // Cards the learner knows already are filtered from the final set: they never show while it is written either.
  const cards = known ? leading.filter((c) => !known(c.word)) : leading;
  return cards.length > 0 ? { kind: 'flashcards', title: titleOf(json), cards } : undefined;
}

/** Exercises: complete questions whose answer is one of their (distinct) choices, as the final schema requires. */
export function exercisesPreview(json: Json, asked: number): Preview | undefined {
  const questions = leadingItems(json, 'questions', exerciseQuestionSchema, asked, (q) => q.choices.includes(q.answer) && new Set(q.choices).size === q.choices.length);
  return questions.length > 0 ? { kind: 'exercises', title: titleOf(json), questions } : undefined;
}

const REPLY_MAX = (simulationTurnSchema.shape.reply.maxLength as number | null) ?? 1200;

/** A role-play reply as it grows (the reply is the schema's first field, so it comes first). */
export function turnPreview(json: Json, speaker: string): Preview | undefined {
  const reply = typeof json.reply === 'string' ? cutText(stripControlCharactersDeep(json.reply) as string, REPLY_MAX).trim() : '';
  return reply ? { kind: 'turn', speaker, reply } : undefined;
}

/** Whether a preview adds to the last one shown (more items, longer text): only those are passed on. */
export function previewKey(preview: Preview): string {
  switch (preview.kind) {
    case 'flashcards':
      return `f${preview.cards.length}:${preview.title}`;
    case 'exercises':
      return `e${preview.questions.length}:${preview.title}`;
    case 'turn':
      return `t${preview.reply.length}`;
  }
}

/** The LLM request's partial-object listener that passes each new preview of `make` to `sink` (none without a sink). */
export function previewListener(sink: PreviewSink | undefined, growingStrings: boolean, make: (json: Json) => Preview | undefined): PartialListener | undefined {
  if (!sink) return undefined;
  let last = '';
  return {
    growingStrings,
    receive(partial) {
      const preview = make(partial);
      if (!preview) return;
      const key = previewKey(preview);
      if (key === last) return;
      last = key;
      sink(preview);
    },
  };
}
