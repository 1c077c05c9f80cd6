// A level that follows the learner: after enough graded exercise answers at their level, a clear result
// proposes the next level (or the previous one), once, with a button; the level changes only when they accept.
import { CEFR_LEVELS, type CefrLevel } from '../language.ts';
import { UserFacingError } from '../errors.ts';
import type { LevelEvidenceRepository } from '../repositories/level-evidence-repository.ts';
import type { Learner, LearnerService } from './learners.ts';

/** Answers needed at a level before anything is proposed. */
export const LEVEL_MIN_ANSWERS = 20;
/** The newest first answers judged (older ones say less about the learner now). */
export const LEVEL_WINDOW = 50;
/** Attempts read to find them: a question answered again adds an attempt, so read more than the window. */
const ATTEMPTS_READ = 200;
export const LEVEL_UP_ABOVE = 0.9;
export const LEVEL_DOWN_BELOW = 0.5;

export interface LevelProposal {
  from: CefrLevel;
  to: CefrLevel;
  accuracy: number;
  answers: number;
}

const proposalKey = (language: string, from: string, to: string) => `${language}:${from}>${to}`;

export class LevelService {
  constructor(
    private readonly evidence: LevelEvidenceRepository,
    private readonly learners: LearnerService,
  ) {}

  /** A level change to propose now, or undefined; a proposal is returned once (recorded atomically). */
  async proposal(learner: Learner): Promise<LevelProposal | undefined> {
    const attempts = await this.evidence.recentAnswers(learner.id, learner.targetLanguage, learner.level, ATTEMPTS_READ);
    // The first answer to each question counts (as in the set's score): later taps are not new evidence.
    const first = new Map<string, { id: number; correct: boolean }>();
    for (const a of attempts) first.set(`${a.generationId}:${a.questionIndex}`, a); // newest first: the last write is the oldest
    const answers = [...first.values()].sort((a, b) => b.id - a.id).slice(0, LEVEL_WINDOW);
    if (answers.length < LEVEL_MIN_ANSWERS) return undefined;
    const accuracy = answers.filter((a) => a.correct).length / answers.length;
    const index = CEFR_LEVELS.indexOf(learner.level);
    const to = accuracy > LEVEL_UP_ABOVE ? CEFR_LEVELS[index + 1] : accuracy < LEVEL_DOWN_BELOW ? CEFR_LEVELS[index - 1] : undefined;
    if (!to) return undefined;
    const key = proposalKey(learner.targetLanguage, learner.level, to);
    if (learner.levelProposal === key || !(await this.evidence.claimProposal(learner.id, key))) return undefined;
    return { from: learner.level, to, accuracy, answers: answers.length };
  }

  /**
   * The learner accepts the proposal to move to `to`. Only a proposal made to this learner, for their current
   * level and language, can be accepted: anything else is "not available", like a button that does not exist.
   */
  async accept(learner: Learner, to: CefrLevel, locale?: string): Promise<Learner> {
    const row = await this.evidence.current(learner.id);
    if (!row || row.levelProposal !== proposalKey(learner.targetLanguage, learner.level, to)) throw new UserFacingError('errors.notAvailable');
    return this.learners.updateSettings(learner, { level: to }, locale);
  }
}
