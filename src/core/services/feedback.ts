import { SAVEABLE_TYPES } from '../content-types.ts';
import { UserFacingError } from '../errors.ts';
import type { FeedbackRepository } from '../repositories/feedback-repository.ts';
import type { GenerationRepository } from '../repositories/generation-repository.ts';
import type { Learner } from './learners.ts';
import { cutText } from '../safe-text.ts';
import { isVisibleTo } from './generation.ts';

export const FEEDBACK_MAX_LENGTH = 2000;

/**
 * Ratings (1–5, one per learner and content) and free-text feedback, linked to the content's generation and to
 * its output's log entry. That entry may still be in a buffer (this process's or another's) or lost in a crash:
 * the feedback never waits for it nor fails for it; it is linked once the entry is written (FeedbackRepository).
 */
export class FeedbackService {
  constructor(
    private readonly generations: GenerationRepository,
    private readonly feedback: FeedbackRepository,
  ) {}

  async rate(learner: Learner, conversationKey: string, rating: number, generationId?: number) {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new UserFacingError('errors.ratingRange');
    const generation = await this.findTarget(conversationKey, generationId);
    // By id (a button, a reaction), only content this learner could see: another's is reported like a missing one.
    if (!isVisibleTo(generation, learner.id, conversationKey)) throw new UserFacingError('errors.nothingToRate');
    await this.feedback.setRating(learner.id, targetOf(generation), rating, snapshot(generation));
    return { generation };
  }

  async clearRating(learner: Learner, generationId: number): Promise<void> {
    const generation = await this.generations.findById(generationId);
    if (!generation) return;
    await this.feedback.clearRating(learner.id, { generationId: generation.id });
  }

  async text(learner: Learner, conversationKey: string, text: string) {
    const generation = await this.generations.latestInConversation(conversationKey, SAVEABLE_TYPES);
    const target = generation ? targetOf(generation) : {};
    await this.feedback.addText(learner.id, text, target, generation ? snapshot(generation) : { conversation: conversationKey });
  }

  private async findTarget(conversationKey: string, generationId?: number) {
    const generation = generationId
      ? await this.generations.findById(generationId)
      : await this.generations.latestInConversation(conversationKey, SAVEABLE_TYPES);
    if (!generation) throw new UserFacingError('errors.nothingToRate');
    return generation;
  }
}

function targetOf(generation: { id: number; outputLogId: string | null }) {
  return { generationId: generation.id, logId: generation.outputLogId };
}

function snapshot(generation: { id: number; contentType: string; queryText: string; targetLanguage: string }) {
  return {
    generationId: generation.id,
    contentType: generation.contentType,
    query: cutText(generation.queryText, 200),
    targetLanguage: generation.targetLanguage,
  };
}
