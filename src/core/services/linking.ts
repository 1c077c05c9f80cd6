// Account linking: /link on one platform makes a one-time code; /link CODE from another platform account
// joins that account's learner into the code owner's learner (see LinkingRepository.merge).
import { createHash, randomInt } from 'node:crypto';
import { UserFacingError } from '../errors.ts';
import { encodeAction } from '../actions.ts';
import type { I18n } from '../i18n/index.ts';
import { UNDO_HOURS, type LinkingRepository, type MergeSummary, type UndoSummary } from '../repositories/linking-repository.ts';
import type { ConversationRef, DeliveryResult, Notifier, Platform, UserRef } from '../types.ts';
import type { Logger } from '../../logger.ts';
import type { Learner } from './learners.ts';
import { startTicker, type Ticker } from '../ticker.ts';

/** No 0/O, 1/I/L, so a code read aloud or typed from another screen survives. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const LINK_CODE_MINUTES = 10;
/**
 * Wrong codes allowed per platform account and window: 31^8 codes make guessing hopeless at this pace. The count
 * is in the database (link_attempts), shared by every bot process and kept across restarts.
 */
const MAX_WRONG_TRIES = 5;
const WRONG_TRY_WINDOW_MS = 10 * 60_000;

export interface LinkCode {
  code: string;
  minutes: number;
}

export class LinkingService {
  constructor(
    private readonly links: LinkingRepository,
    /** Buffered activity entries of the learner about to disappear must reach the database before the merge. */
    private readonly activityLog: { flush(): Promise<void> },
    private readonly clock: () => Date = () => new Date(),
    /** For the notice to the account that made the code (in its learner's language); none: no notices. */
    private readonly i18n?: I18n,
  ) {}

  /** A new code for the learner (their previous one stops working). `user` is told when it is used. */
  async createCode(learner: Pick<Learner, 'id'>, conversation: ConversationRef, user?: UserRef): Promise<LinkCode> {
    privateOnly(conversation);
    const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const now = this.clock();
    const owner = user ? { platform: user.platform, externalId: user.externalId, chatId: conversation.chatId } : undefined;
    // Stored hashed: whoever reads the database (or a backup) cannot redeem a live code.
    await this.links.replaceCode(learner.id, hash(code), new Date(now.getTime() + LINK_CODE_MINUTES * 60_000), now, owner);
    return { code, minutes: LINK_CODE_MINUTES };
  }

  /** Joins the learner behind `user` into the learner who made the code. */
  async redeem(learner: Pick<Learner, 'id'>, user: UserRef, conversation: ConversationRef, input: string): Promise<MergeSummary> {
    privateOnly(conversation);
    const account = `${user.platform}:${user.externalId}`;
    const now = this.clock();
    // A guess is taken before the code is looked up, atomically in the database: of any number of concurrent
    // guesses (in any number of processes) at most MAX_WRONG_TRIES per window are checked.
    const guess = await this.links.takeGuess(account, now, WRONG_TRY_WINDOW_MS);
    if (guess.count > MAX_WRONG_TRIES) {
      throw new UserFacingError('loop.linkTooManyTries', { minutes: Math.max(1, Math.ceil((guess.windowEndsAt.getTime() - now.getTime()) / 60_000)) });
    }
    const code = normalise(input);
    const found = code ? await this.links.findCode(hash(code)) : null;
    if (!code || !found) throw new UserFacingError('loop.linkUnknownCode'); // the guess stays counted
    await this.links.returnGuess(account); // a real code is no wrong guess
    if (found.userId === learner.id) throw new UserFacingError('loop.linkOwnCode');
    if (found.expiresAt.getTime() <= now.getTime()) throw new UserFacingError('loop.linkExpiredCode');
    await this.activityLog.flush().catch(() => undefined); // best effort: the merge itself must not wait on it
    const summary = await this.links.merge(hash(code), found.userId, learner.id, now);
    if (!summary) throw new UserFacingError('loop.linkUnknownCode'); // used or expired a moment ago
    return summary;
  }

  /**
   * Undo of a link, by the account that made the code (the one told about it), within 24 hours. Anyone else,
   * a done or expired undo, and a missing one get the same "not available".
   */
  async undo(user: UserRef, undoId: number): Promise<UndoSummary> {
    const summary = await this.links.undo(undoId, { platform: user.platform, externalId: user.externalId }, this.clock());
    if (!summary) throw new UserFacingError('errors.notAvailable');
    return summary;
  }

  /**
   * Tells the accounts that made a code, on these platforms, that it was used, with an Undo button valid for
   * 24 hours. Each notice is claimed in the database, so one process sends it; a failed send is retried later.
   */
  async sendNotices(notifier: Notifier, platforms: readonly Platform[], log?: Logger): Promise<number> {
    if (!this.i18n || platforms.length === 0) return 0;
    let sent = 0;
    for (const notice of await this.links.claimNotices(platforms, this.clock())) {
      const t = this.i18n.translator(notice.language ?? undefined);
      const reply = {
        blocks: [{ kind: 'text' as const, text: t('loop.linkNotice', { name: notice.otherName, platforms: notice.otherPlatforms, hours: UNDO_HOURS }) }],
        buttons: [[{ label: t('loop.linkUndoButton'), data: encodeAction({ kind: 'unlink', undoId: notice.id }) }]],
      };
      const outcome = await notifier.send({ platform: notice.platform as Platform, chatId: notice.chatId }, [reply]).catch((): DeliveryResult => 'failed');
      if (outcome === 'failed') await this.links.releaseNotice(notice.id);
      else if (outcome === 'sent') sent += 1;
      log?.info({ notice: notice.id, platform: notice.platform, outcome }, 'link notice');
    }
    return sent;
  }
}

function privateOnly(conversation: ConversationRef): void {
  // In a group, others would see the code and could join their account to this learner.
  if (conversation.isGroup) throw new UserFacingError('loop.linkPrivateOnly');
}

/** 'k7pm-3xq2 ' → 'K7PM3XQ2', or undefined when it cannot be a code at all. */
function normalise(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

function hash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export type LinkNoticeScheduler = Ticker;

/**
 * Ticks sendNotices on an unref'd interval (default 10 s: the notice is a safety net, it should come soon);
 * ticks never overlap. Each bot process runs one for the platforms it serves.
 */
export function startLinkNoticeScheduler(
  linking: LinkingService,
  options: { notifier: Notifier; platforms: readonly Platform[]; log: Logger; intervalMs?: number },
): LinkNoticeScheduler {
  return startTicker(() => linking.sendNotices(options.notifier, options.platforms, options.log), { intervalMs: options.intervalMs ?? 10_000, log: options.log, what: 'link notice' });
}
