import { SAVEABLE_TYPES } from '../content-types.ts';
import { UserFacingError } from '../errors.ts';
import type { FeedbackRepository } from '../repositories/feedback-repository.ts';
import type { GenerationRepository } from '../repositories/generation-repository.ts';
import type { Learner } from './learners.ts';
import { cutText } from '../safe-text.ts';
import { isVisibleTo } from './generation.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import type { DeferredFeedback, FeedbackJournal } from '../journal/feedback-journal.ts';

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
    /** Where ratings and feedback wait while the database is away (issue 16); none: they are refused then. */
    private readonly journal?: FeedbackJournal,
  ) {
    journal?.start((record) => this.replay(record));
  }

  /**
   * Stores a rating; `queued` when the database was away and it waits in the journal instead (the learner is
   * known and the target is named by id or is "the latest content here at this moment", so nothing else from
   * the database is needed now). `check` runs first (the caller's own visibility check of a button).
   */
  async rate(learner: Learner, conversationKey: string, rating: number, generationId?: number, check?: () => Promise<unknown>): Promise<{ queued: boolean }> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new UserFacingError('errors.ratingRange');
    try {
      await check?.();
      await this.storeRating(learner.id, conversationKey, rating, generationId);
      return { queued: false };
    } catch (error) {
      if (!this.journal || !isDatabaseUnavailable(error)) throw error;
      this.journal.append({ kind: 'rating', userId: learner.id, conversationKey, rating, ...(generationId !== undefined ? { generationId } : {}) });
      return { queued: true };
    }
  }

  async clearRating(learner: Learner, generationId: number): Promise<void> {
    const generation = await this.generations.findById(generationId);
    if (!generation) return;
    await this.feedback.clearRating(learner.id, { generationId: generation.id });
  }

  /** The journal's counters (queued, written, refused, pending); undefined without a journal. */
  deferred() {
    return this.journal?.stats();
  }

  /** Stores free-text feedback; `queued` as for rate(). */
  async text(learner: Learner, conversationKey: string, text: string): Promise<{ queued: boolean }> {
    try {
      await this.storeText(learner.id, conversationKey, text);
      return { queued: false };
    } catch (error) {
      if (!this.journal || !isDatabaseUnavailable(error)) throw error;
      this.journal.append({ kind: 'text', userId: learner.id, conversationKey, text });
      return { queued: true };
    }
  }

  /**
   * Writes a journaled rating or feedback, as it would have been written at its time `at`: the target is the
   * content named, or the latest in the conversation at that time. Idempotent (a kill after the write and
   * before the journal let go of it replays it): a rating replaces only an older one, a text is not added twice.
   */
  private async replay(record: DeferredFeedback): Promise<void> {
    const at = new Date(record.at);
    if (record.kind === 'rating') await this.storeRating(record.userId, record.conversationKey, record.rating, record.generationId, at);
    else await this.storeText(record.userId, record.conversationKey, record.text, at);
  }

  private async storeRating(userId: number, conversationKey: string, rating: number, generationId?: number, at?: Date) {
    const generation = await this.findTarget(conversationKey, generationId, at);
    // By id (a button, a reaction), only content this learner could see: another's is reported like a missing one.
    if (!isVisibleTo(generation, userId, conversationKey)) throw new UserFacingError('errors.nothingToRate');
    await this.feedback.setRating(userId, targetOf(generation), rating, snapshot(generation), at);
  }

  private async storeText(userId: number, conversationKey: string, text: string, at?: Date) {
    const generation = await this.generations.latestInConversation(conversationKey, SAVEABLE_TYPES, at);
    const target = generation ? targetOf(generation) : {};
    await this.feedback.addText(userId, text, target, generation ? snapshot(generation) : { conversation: conversationKey }, at);
  }

  private async findTarget(conversationKey: string, generationId?: number, at?: Date) {
    const generation = generationId
      ? await this.generations.findById(generationId)
      : await this.generations.latestInConversation(conversationKey, SAVEABLE_TYPES, at);
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
