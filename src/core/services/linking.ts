// Account linking: /link on one platform makes a one-time code; /link CODE from another platform account
// joins that account's learner into the code owner's learner (see LinkingRepository.merge).
import { createHash, randomInt } from 'node:crypto';
import { UserFacingError } from '../errors.ts';
import type { LinkingRepository, MergeSummary } from '../repositories/linking-repository.ts';
import type { ConversationRef, UserRef } from '../types.ts';
import type { Learner } from './learners.ts';

/** No 0/O, 1/I/L, so a code read aloud or typed from another screen survives. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const LINK_CODE_MINUTES = 10;
/** Wrong codes allowed per platform account and window: 31^8 codes make guessing hopeless at this pace. */
const MAX_WRONG_TRIES = 5;
const WRONG_TRY_WINDOW_MS = 10 * 60_000;

export interface LinkCode {
  code: string;
  minutes: number;
}

export class LinkingService {
  private readonly wrongTries = new WrongTries(MAX_WRONG_TRIES, WRONG_TRY_WINDOW_MS);

  constructor(
    private readonly links: LinkingRepository,
    /** Buffered activity entries of the learner about to disappear must reach the database before the merge. */
    private readonly activityLog: { flush(): Promise<void> },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A new code for the learner (their previous one stops working). */
  async createCode(learner: Pick<Learner, 'id'>, conversation: ConversationRef): Promise<LinkCode> {
    privateOnly(conversation);
    const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const now = this.clock();
    // Stored hashed: whoever reads the database (or a backup) cannot redeem a live code.
    await this.links.replaceCode(learner.id, hash(code), new Date(now.getTime() + LINK_CODE_MINUTES * 60_000), now);
    return { code, minutes: LINK_CODE_MINUTES };
  }

  /** Joins the learner behind `user` into the learner who made the code. */
  async redeem(learner: Pick<Learner, 'id'>, user: UserRef, conversation: ConversationRef, input: string): Promise<MergeSummary> {
    privateOnly(conversation);
    const account = `${user.platform}:${user.externalId}`;
    const now = this.clock();
    const wait = this.wrongTries.waitMs(account, now);
    if (wait > 0) throw new UserFacingError('loop.linkTooManyTries', { minutes: Math.ceil(wait / 60_000) });
    const code = normalise(input);
    const found = code ? await this.links.findCode(hash(code)) : null;
    if (!code || !found) {
      this.wrongTries.record(account, now);
      throw new UserFacingError('loop.linkUnknownCode');
    }
    if (found.userId === learner.id) throw new UserFacingError('loop.linkOwnCode');
    if (found.expiresAt.getTime() <= now.getTime()) throw new UserFacingError('loop.linkExpiredCode');
    await this.activityLog.flush().catch(() => undefined); // best effort: the merge itself must not wait on it
    const summary = await this.links.merge(hash(code), found.userId, learner.id, now);
    if (!summary) throw new UserFacingError('loop.linkUnknownCode'); // used or expired a moment ago
    return summary;
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

/** Wrong codes per account in a sliding window, in this process's memory (a restart forgives). */
class WrongTries {
  private readonly tries = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** How long the account must wait before trying again (0: it may try now). */
  waitMs(account: string, now: Date): number {
    const recent = this.recent(account, now);
    return recent.length >= this.max ? recent[0]! + this.windowMs - now.getTime() : 0;
  }

  record(account: string, now: Date): void {
    this.tries.set(account, [...this.recent(account, now), now.getTime()]);
  }

  private recent(account: string, now: Date): number[] {
    const recent = (this.tries.get(account) ?? []).filter((at) => at > now.getTime() - this.windowMs);
    if (recent.length === 0) this.tries.delete(account);
    return recent;
  }
}
