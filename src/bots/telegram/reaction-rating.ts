// Reactions as ratings. Telegram allows only a fixed set of reaction emoji (no keycap digits, see
// notes/platform-limits.md), so a 1–5 rating maps five allowed ones:
//   😢 → 1   😐 → 2   👍 → 3   🔥 → 4   🤩 → 5
// The inline rating keyboard shows the same emoji, so learners can rate either way.
import type { ReactionType } from 'grammy/types';

export const RATING_EMOJI = ['😢', '😐', '👍', '🔥', '🤩'] as const;

const RATING_BY_EMOJI = new Map<string, number>(RATING_EMOJI.map((emoji, i) => [emoji, i + 1]));

function ratingsOf(reactions: readonly ReactionType[]): number[] {
  const ratings: number[] = [];
  for (const reaction of reactions) {
    if (reaction.type !== 'emoji') continue;
    // Clients may add a variation selector (U+FE0F); Telegram's list has none.
    const rating = RATING_BY_EMOJI.get(reaction.emoji.replace(/\uFE0F/g, ''));
    if (rating !== undefined) ratings.push(rating);
  }
  return ratings;
}

/**
 * The rating a reaction change expresses: a rating emoji that was just added wins, else one that is still
 * there (premium users can keep several reactions), else null when a rating emoji was removed.
 * undefined = the change does not concern ratings (e.g. ❤ added), so nothing should be recorded.
 */
export function ratingFromReactionChange(
  oldReaction: readonly ReactionType[],
  newReaction: readonly ReactionType[],
): number | null | undefined {
  const before = ratingsOf(oldReaction);
  const after = ratingsOf(newReaction);
  const added = after.filter((rating) => !before.includes(rating));
  if (added.length > 0) return added[added.length - 1]!;
  if (after.length > 0) return before.length === after.length ? undefined : after[after.length - 1]!;
  return before.length > 0 ? null : undefined;
}
