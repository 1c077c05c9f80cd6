import { SAVEABLE_TYPES } from '../content-types.ts';
import { UserFacingError } from '../errors.ts';
import type { GenerationRepository } from '../repositories/generation-repository.ts';
import type { SavedContentRepository } from '../repositories/saved-content-repository.ts';
import type { FlashcardSet } from '../content/schemas.ts';
import type { Learner } from './learners.ts';
import type { ReviewService } from './reviews.ts';
import { isVisibleTo } from './generation.ts';

export const LABEL_MAX_LENGTH = 100;
export const NOTES_MAX_LENGTH = 1000;
export const SAVED_PAGE_SIZE = 10;

/** Saving generated content, and listing, showing and deleting one's own saved items. */
export class SavedItemService {
  constructor(
    private readonly generations: GenerationRepository,
    private readonly saved: SavedContentRepository,
    private readonly reviews: ReviewService,
  ) {}

  /**
   * Saves a generation (by id, else the latest in the conversation) for this learner. Saving the same
   * generation again updates its label/notes instead of making a copy.
   */
  async save(learner: Learner, conversationKey: string, input: { generationId?: number; label?: string; notes?: string }) {
    const generation = input.generationId
      ? await this.generations.findById(input.generationId)
      : await this.generations.latestInConversation(conversationKey, SAVEABLE_TYPES);
    // By id, only content this learner could see: another learner's private content is reported like a missing one.
    if (!generation || !(SAVEABLE_TYPES as readonly string[]).includes(generation.contentType) || !isVisibleTo(generation, learner.id, conversationKey)) {
      throw new UserFacingError('errors.nothingToSave');
    }
    const existing = await this.saved.findByGeneration(learner.id, generation.id);
    if (existing) {
      if (input.label !== undefined || input.notes !== undefined) {
        await this.saved.updateOwned(learner.id, existing.id, {
          ...(input.label !== undefined ? { userLabel: input.label } : {}),
          ...(input.notes !== undefined ? { userNotes: input.notes } : {}),
        });
      }
      return { item: { ...existing, userLabel: input.label ?? existing.userLabel }, alreadySaved: true, cardsAdded: 0 };
    }
    const item = await this.saved.create({
      userId: learner.id,
      contentType: generation.contentType,
      originalQuery: generation.queryText,
      contentData: generation.content,
      targetLanguage: generation.targetLanguage,
      baseLanguage: generation.baseLanguage,
      generationId: generation.id,
      userLabel: input.label ?? null,
      userNotes: input.notes ?? null,
    });
    // Saved flashcards join the learner's review deck.
    const cardsAdded =
      generation.contentType === 'flashcards'
        ? await this.reviews.addFlashcards(learner, item.id, generation.content as unknown as FlashcardSet, generation.targetLanguage)
        : 0;
    return { item, alreadySaved: false, cardsAdded };
  }

  /** One page of the learner's items, newest first; a page past the last is refused, naming how many there are. */
  async list(learner: Learner, page: number) {
    const total = await this.saved.countForUser(learner.id);
    const pages = Math.max(1, Math.ceil(total / SAVED_PAGE_SIZE));
    if (total > 0 && page > pages) throw new UserFacingError('errors.noSuchPage', { page, pages });
    const current = Math.min(Math.max(1, page), pages);
    const items = await this.saved.listForUser(learner.id, (current - 1) * SAVED_PAGE_SIZE, SAVED_PAGE_SIZE);
    return { items, total, page: current, pages };
  }

  /** By the learner's own item number (#1, #2 … of theirs): other learners' items are out of reach. */
  async show(learner: Learner, number: number) {
    const item = await this.saved.findOwned(learner.id, number);
    if (!item) throw new UserFacingError('errors.savedNotFound', { id: number });
    return item;
  }

  async delete(learner: Learner, number: number): Promise<void> {
    if (!(await this.saved.deleteOwned(learner.id, number))) throw new UserFacingError('errors.savedNotFound', { id: number });
  }
}
