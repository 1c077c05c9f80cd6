// Replies for spaced-repetition reviews: the front first, then the back with Again/Hard/Good/Easy.
import { encodeAction } from '../core/actions.ts';
import type { Translator } from '../core/i18n/index.ts';
import type { ReviewCardView } from '../core/services/reviews.ts';
import type { Reply } from '../core/types.ts';

export function cardFrontView(t: Translator, card: ReviewCardView, dueCount: number): Reply {
  return {
    blocks: [{ kind: 'card', title: card.front, fields: [], footer: t('review.remaining', { count: dueCount }) }],
    buttons: [[{ label: t('review.showBack'), data: encodeAction({ kind: 'flip', cardId: card.id }), style: 'primary' }]],
  };
}

export function cardBackView(t: Translator, card: ReviewCardView): Reply {
  const grade = (g: 1 | 2 | 3 | 4, key: 'again' | 'hard' | 'good' | 'easy', style: 'danger' | 'secondary' | 'success' | 'primary') => ({
    label: `${t(`review.${key}`)} · ${card.intervals[g]}`,
    data: encodeAction({ kind: 'grade', cardId: card.id, grade: g }),
    style,
  });
  return {
    blocks: [
      {
        kind: 'card',
        title: card.front,
        fields: [{ label: t('review.back'), value: card.example ? `${card.back}\n${card.example}` : card.back }],
        footer: t('review.howWell'),
      },
    ],
    buttons: [[grade(1, 'again', 'danger'), grade(2, 'hard', 'secondary'), grade(3, 'good', 'success'), grade(4, 'easy', 'primary')]],
    replaceOrigin: true,
  };
}

export function nothingDueView(t: Translator, total: number): Reply {
  return { blocks: [{ kind: 'text', text: total === 0 ? t('review.emptyDeck') : t('review.nothingDue') }] };
}
