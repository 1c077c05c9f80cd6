import type { ExerciseSet } from '../content/schemas.ts';
import { UserFacingError } from '../errors.ts';
import type { ExerciseAttemptRepository } from '../repositories/exercise-attempt-repository.ts';
import type { GenerationRepository } from '../repositories/generation-repository.ts';
import type { Learner } from './learners.ts';

export interface AnswerOutcome {
  set: ExerciseSet;
  question: number;
  correct: boolean;
  chosen: string;
  /** The next question's index, or undefined after the last one. */
  next?: number;
  /** Score over first answers, once the last question is answered. */
  score?: { correct: number; total: number };
}

/** Exercises answered one question at a time; every answer is recorded (accuracy, review of mistakes). */
export class ExerciseService {
  constructor(
    private readonly generations: GenerationRepository,
    private readonly attempts: ExerciseAttemptRepository,
  ) {}

  async load(generationId: number): Promise<ExerciseSet> {
    const generation = await this.generations.findById(generationId);
    if (!generation || generation.contentType !== 'exercises') throw new UserFacingError('errors.staleButton');
    return generation.content as unknown as ExerciseSet;
  }

  /** Whether the learner answered this question (only they may turn it into a review card). */
  async attempted(learner: Learner, generationId: number, question: number): Promise<boolean> {
    return (await this.attempts.firstAnswers(learner.id, generationId)).has(question);
  }

  async answer(learner: Learner, generationId: number, question: number, choice: number): Promise<AnswerOutcome> {
    const set = await this.load(generationId);
    const q = set.questions[question];
    const chosen = q?.choices[choice];
    if (!q || chosen === undefined) throw new UserFacingError('errors.staleButton');
    const correct = chosen === q.answer;
    await this.attempts.record({ userId: learner.id, generationId, questionIndex: question, answer: chosen, correct });
    const isLast = question + 1 >= set.questions.length;
    if (!isLast) return { set, question, correct, chosen, next: question + 1 };
    const first = await this.attempts.firstAnswers(learner.id, generationId);
    const score = { correct: [...first.values()].filter(Boolean).length, total: set.questions.length };
    return { set, question, correct, chosen, score };
  }
}
