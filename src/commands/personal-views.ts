// Replies about personalised content (issue 14): the weak words a set brings back, a proposed level change.
import { encodeAction } from '../core/actions.ts';
import type { Translator } from '../core/i18n/index.ts';
import { CEFR_LEVELS } from '../core/language.ts';
import type { LevelProposal } from '../core/services/levels.ts';
import type { Reply } from '../core/types.ts';

/** "Includes 2 words you are practising." when the content uses some of the learner's weak words, else nothing. */
export function practisingNote(t: Translator, practising: number | undefined): Reply[] {
  return practising ? [{ blocks: [{ kind: 'text', text: t('personal.includes', { count: practising }) }] }] : [];
}

/** The proposal with its accept button; only `learnerId` may press it (see the dispatcher's 'level' action). */
export function levelProposalView(t: Translator, learnerId: number, proposal: LevelProposal): Reply {
  const params = { percent: Math.round(proposal.accuracy * 100), answers: proposal.answers, level: proposal.from, next: proposal.to };
  return {
    blocks: [{ kind: 'text', text: t(CEFR_LEVELS.indexOf(proposal.to) > CEFR_LEVELS.indexOf(proposal.from) ? 'personal.levelUp' : 'personal.levelDown', params) }],
    buttons: [[{ label: t('personal.levelAccept', { next: proposal.to }), data: encodeAction({ kind: 'level', userId: learnerId, level: CEFR_LEVELS.indexOf(proposal.to) + 1 }) }]],
  };
}
