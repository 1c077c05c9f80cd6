// The structures the LLM generates, as zod schemas (turned into JSON-schema structured outputs).
// Every field is required (strict structured outputs do not allow optional fields); "" or [] stand for none.
import * as z from 'zod';

// The cards come first and the title last: a streamed reply shows its first card as soon as it is complete.
export const flashcardSetSchema = z.object({
  cards: z
    .array(
      z.object({
        word: z.string().min(1).max(200).describe('word or phrase in the target language'),
        translation: z.string().min(1).max(300).describe('meaning in the base language'),
        example: z.string().min(1).max(400).describe('example sentence in the target language'),
        exampleTranslation: z.string().max(400).describe('the example sentence in the base language'),
      }),
    )
    .min(1)
    .max(30),
  title: z.string().min(1).max(200),
});
export type FlashcardSet = z.infer<typeof flashcardSetSchema>;

/** One question; also checked on its own while a set is streamed (src/core/content/previews.ts). */
export const exerciseQuestionSchema = z.object({
  kind: z.enum(['multiple_choice', 'fill_in']),
  prompt: z.string().min(1).max(500).describe('the question; for fill_in a sentence with ___ for the gap'),
  choices: z.array(z.string().min(1).max(80)).min(2).max(5),
  answer: z.string().min(1).max(80).describe('exactly one of the choices'),
  explanation: z.string().min(1).max(600).describe('why, in the base language'),
});

const exerciseSetShape = z.object({
  questions: z.array(exerciseQuestionSchema).min(1).max(20),
  title: z.string().min(1).max(200),
});

/** Local models sometimes return an answer that is not one of the choices: such a reply is invalid (repair). */
export const exerciseSetSchema = exerciseSetShape.superRefine((set, ctx) => {
  set.questions.forEach((q, i) => {
    if (!q.choices.includes(q.answer)) {
      ctx.addIssue({ code: 'custom', path: ['questions', i, 'answer'], message: 'must be exactly one of the choices' });
    }
    if (new Set(q.choices).size !== q.choices.length) {
      ctx.addIssue({ code: 'custom', path: ['questions', i, 'choices'], message: 'must all be different' });
    }
  });
});
export type ExerciseSet = z.infer<typeof exerciseSetShape>;

/**
 * What a generation accepts from the model: the same shape, with the rules above checked afterwards
 * (src/core/content/checks.ts), where each failure kind is counted and a question the repair did not fix is
 * dropped rather than failing the whole set. Stored and imported sets keep the strict schema.
 */
export const exerciseSetReplySchema = exerciseSetShape;

export const scenarioSchema = z.object({
  title: z.string().min(1).max(100),
  setting: z.string().min(1).max(600).describe('where and when, in the base language'),
  botRole: z.string().min(1).max(100).describe('who the tutor plays'),
  learnerRole: z.string().min(1).max(100).describe('who the learner plays'),
  openingLine: z.string().min(1).max(400).describe("the tutor's first line, in character, in the target language"),
  exampleDialogue: z
    .array(z.object({ speaker: z.string().min(1).max(60), text: z.string().min(1).max(300) }))
    .max(8)
    .describe('a short model exchange in the target language'),
  keyPhrases: z
    .array(z.object({ phrase: z.string().min(1).max(120), translation: z.string().min(1).max(200) }))
    .max(10),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const simulationTurnSchema = z.object({
  reply: z.string().min(1).max(1200).describe('the next line in character, in the target language'),
  corrections: z
    .array(
      z.object({
        original: z.string().max(400),
        corrected: z.string().max(400),
        explanation: z.string().max(400).describe('in the base language'),
      }),
    )
    .max(5)
    .describe("mistakes in the learner's last message; [] when none or when corrections are off"),
  newWords: z
    .array(z.object({ word: z.string().min(1).max(100), translation: z.string().min(1).max(200) }))
    .max(5)
    .describe('useful words the reply introduced'),
});
export type SimulationTurnReply = z.infer<typeof simulationTurnSchema>;

export const curriculumSchema = z.object({
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(800),
  lessons: z
    .array(
      z.object({
        subTopic: z.string().min(1).max(200),
        description: z.string().min(1).max(600),
        keywords: z.array(z.string().min(1).max(60)).min(1).max(12),
      }),
    )
    .min(1)
    .max(20),
});
export type CurriculumPlan = z.infer<typeof curriculumSchema>;

