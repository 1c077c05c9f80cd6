// /stats: what a learner did, from the activity log (requests) and the review log (reviews), counted in
// local days of the learner's time zone (UTC when unset) with the core's clock as "now".
import type { StatsRepository } from '../repositories/stats-repository.ts';
import { localDate } from '../time.ts';
import type { Learner } from './learners.ts';
import { lastDays, streakLength } from './stats/local-days.ts';

export const STATS_DAYS = 30;
const DAY_MS = 86_400_000;
/** The longest streak looked for (about 10 years): bounds the widening search below. */
const MAX_STREAK_DAYS = 4_000;

export interface DayActivity {
  /** Local date 'YYYY-MM-DD'. */
  date: string;
  requests: number;
  reviews: number;
}

export interface LearnerStats {
  /** The last STATS_DAYS local days, oldest first; the last one is today. */
  days: DayActivity[];
  streak: number;
  deck: { total: number; dueNow: number; learned: number };
  exercises: { answered: number; right: number };
  ratingsGiven: number;
}

export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async forLearner(learner: Pick<Learner, 'id' | 'timezone'>): Promise<LearnerStats> {
    const now = this.clock();
    const timeZone = learner.timezone ?? 'UTC';
    const today = localDate(now, timeZone);
    // One day more than shown: the first local day may start up to 14 h before "30 × 24 h ago".
    const since = new Date(now.getTime() - (STATS_DAYS + 1) * DAY_MS);
    const [requests, reviews, deck, answers, ratingsGiven] = await Promise.all([
      this.stats.requestTimes(learner.id, since),
      this.stats.reviewTimes(learner.id, since),
      this.stats.deck(learner.id, now),
      this.stats.exerciseAnswers(learner.id),
      this.stats.ratingsGiven(learner.id),
    ]);
    const requestDays = countByDay(requests, timeZone);
    const reviewDays = countByDay(reviews, timeZone);
    const days = lastDays(today, STATS_DAYS).map((date) => ({ date, requests: requestDays.get(date) ?? 0, reviews: reviewDays.get(date) ?? 0 }));
    const active = new Set([...requestDays.keys(), ...reviewDays.keys()]);
    return { days, streak: await this.streak(learner.id, active, today, now, timeZone), deck, exercises: firstAnswerScore(answers), ratingsGiven };
  }

  /** The streak from the days already loaded; only a streak as long as the window loads more history. */
  private async streak(userId: number, active: Set<string>, today: string, now: Date, timeZone: string): Promise<number> {
    let windowDays = STATS_DAYS;
    let streak = streakLength(active, today);
    while (streak >= windowDays - 1 && windowDays < MAX_STREAK_DAYS) {
      windowDays *= 4;
      const since = new Date(now.getTime() - (windowDays + 1) * DAY_MS);
      const [requests, reviews] = await Promise.all([this.stats.requestTimes(userId, since), this.stats.reviewTimes(userId, since)]);
      const wider = new Set([...requests, ...reviews].map((t) => localDate(t, timeZone)));
      streak = streakLength(wider, today);
    }
    return Math.min(streak, MAX_STREAK_DAYS);
  }
}

function countByDay(times: Date[], timeZone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const time of times) {
    const day = localDate(time, timeZone);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return counts;
}

/** Accuracy counts only the first answer to each question: retrying after seeing the answer proves nothing. */
function firstAnswerScore(answers: Array<{ generationId: number; questionIndex: number; correct: boolean }>) {
  const first = new Map<string, boolean>();
  for (const a of answers) {
    const key = `${a.generationId}:${a.questionIndex}`;
    if (!first.has(key)) first.set(key, a.correct);
  }
  return { answered: first.size, right: [...first.values()].filter(Boolean).length };
}
