// Spaced repetition of saved flashcards with FSRS (ts-fsrs): cards are scheduled by the library, every
// review is logged (for later parameter optimisation), and desired retention is the learner's own.
import { fsrs, type Card, type Grade, type RecordLogItem } from 'ts-fsrs';
import type { ExerciseSet, FlashcardSet } from '../content/schemas.ts';
import { UserFacingError } from '../errors.ts';
import type { CardSchedule, NewCard, ReviewRepository } from '../repositories/review-repository.ts';
import { startOfNextLocalDay } from '../time.ts';
import type { Learner } from './learners.ts';

export const GRADES = [1, 2, 3, 4] as const; // Again, Hard, Good, Easy

export interface ReviewCardView {
  id: number;
  front: string;
  back: string;
  example: string | null;
  /** The next interval for each grade, e.g. { 1: '10m', 3: '3d' }. */
  intervals: Record<number, string>;
}

/** The deck cards of a flashcard set (what /save and /import add). */
export function flashcardCards(set: FlashcardSet, targetLanguage: string | null): NewCard[] {
  return set.cards.map((c) => ({
    front: c.word,
    back: c.translation,
    example: c.exampleTranslation ? `${c.example} (${c.exampleTranslation})` : c.example,
    targetLanguage,
  }));
}

export class ReviewService {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Every card of a saved flashcard set joins the learner's deck (duplicates are skipped). */
  addFlashcards(learner: Pick<Learner, 'id'>, savedContentId: number | null, set: FlashcardSet, targetLanguage: string | null): Promise<number> {
    return this.reviews.addCards(learner.id, 'flashcard', savedContentId, flashcardCards(set, targetLanguage), this.clock());
  }

  /** A question answered wrongly becomes a card: the question on the front, the answer and why on the back. */
  addExerciseQuestion(learner: Pick<Learner, 'id'>, set: ExerciseSet, question: number, targetLanguage: string | null): Promise<number> {
    const q = set.questions[question];
    if (!q) throw new UserFacingError('errors.staleButton');
    return this.reviews.addCards(learner.id, 'exercise', null, [{ front: q.prompt, back: q.answer, example: q.explanation, targetLanguage }], this.clock());
  }

  /** The next due card with the intervals each grade would give, or undefined when nothing is due. */
  async next(learner: Learner): Promise<ReviewCardView | undefined> {
    const now = this.clock();
    const row = await this.reviews.nextDue(learner.id, now);
    return row ? this.view(learner, row, now) : undefined;
  }

  async show(learner: Learner, cardId: number): Promise<ReviewCardView> {
    const row = await this.reviews.findOwned(learner.id, cardId);
    if (!row) throw new UserFacingError('errors.cardNotFound');
    return this.view(learner, row, this.clock());
  }

  /** Grades a card (1 Again … 4 Easy), stores the new schedule and the review log entry. */
  async grade(learner: Learner, cardId: number, grade: number) {
    if (!GRADES.includes(grade as Grade)) throw new UserFacingError('errors.staleButton');
    const row = await this.reviews.findOwned(learner.id, cardId);
    if (!row) throw new UserFacingError('errors.cardNotFound');
    const now = this.clock();
    const result: RecordLogItem = scheduler(learner).next(toFsrsCard(row), now, grade as Grade);
    await this.reviews.recordReview(learner.id, cardId, fromFsrsCard(result.card), {
      rating: result.log.rating,
      state: result.log.state,
      due: result.log.due,
      stability: result.log.stability,
      difficulty: result.log.difficulty,
      elapsedDays: result.log.elapsed_days,
      lastElapsedDays: result.log.last_elapsed_days,
      scheduledDays: result.log.scheduled_days,
      learningSteps: result.log.learning_steps,
      review: result.log.review,
    });
    return { nextDue: result.card.due, interval: formatInterval(result.card.due.getTime() - now.getTime(), learner.baseLanguage) };
  }

  /** Cards due by the end of the learner's local day (their time zone, UTC when unset). */
  dueToday(learner: Learner & { timezone?: string | null }): Promise<number> {
    return this.reviews.countDue(learner.id, new Date(startOfNextLocalDay(this.clock(), learner.timezone ?? 'UTC').getTime() - 1));
  }

  deckSize(learner: Pick<Learner, 'id'>): Promise<number> {
    return this.reviews.countCards(learner.id);
  }

  dueNow(learner: Pick<Learner, 'id'>): Promise<number> {
    return this.reviews.countDue(learner.id, this.clock());
  }

  private view(learner: Learner, row: CardSchedule & { id: number; front: string; back: string; example: string | null }, now: Date): ReviewCardView {
    const preview = scheduler(learner).repeat(toFsrsCard(row), now);
    const intervals: Record<number, string> = {};
    for (const grade of GRADES) intervals[grade] = formatInterval(preview[grade].card.due.getTime() - now.getTime(), learner.baseLanguage);
    return { id: row.id, front: row.front, back: row.back, example: row.example, intervals };
  }
}

function scheduler(learner: Pick<Learner, 'desiredRetention'>) {
  return fsrs({ request_retention: learner.desiredRetention, enable_fuzz: false });
}

export function toFsrsCard(row: CardSchedule): Card {
  return {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    ...(row.lastReview ? { last_review: row.lastReview } : {}),
  };
}

function fromFsrsCard(card: Card): CardSchedule {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
}

/** An interval in the learner's language, short: 600 000 ms → '10m' (en), '10 Min.' (de); 3 days → '3d'. */
export function formatInterval(ms: number, locale = 'en'): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const hours = Math.round(minutes / 60);
  const days = Math.round(hours / 24);
  const [value, unit] =
    minutes < 60 ? [minutes, 'minute'] : hours < 24 ? [hours, 'hour'] : days < 31 ? [days, 'day'] : days < 365 ? [Math.round(days / 30), 'month'] : [Math.round(days / 365), 'year'];
  try {
    return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' }).format(value);
  } catch {
    return new Intl.NumberFormat('en', { style: 'unit', unit, unitDisplay: 'narrow' }).format(value);
  }
}
