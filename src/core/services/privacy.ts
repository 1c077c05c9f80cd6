// /mydata and /forget: a learner can see everything stored about them, and have it deleted.
import type { ForgottenCounts, PrivacyRepository } from '../repositories/privacy-repository.ts';
import type { Learner } from './learners.ts';

export const PERSONAL_DATA_FORMAT = 'language-tutor-personal-data';
export const PERSONAL_DATA_VERSION = 1;

/** What /forget needs from the activity log: write what is buffered before the user row goes. */
export interface FlushableLog {
  flush(): Promise<void>;
}

export class PrivacyService {
  constructor(
    private readonly repository: PrivacyRepository,
    private readonly activityLog: FlushableLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Everything stored about the learner, as pretty JSON (dates as ISO 8601). */
  async personalData(learner: Pick<Learner, 'id'>): Promise<string> {
    await this.flushLog();
    const data = await this.repository.everythingAbout(learner.id);
    const simulationSessions = data.simulationSessions.map((session) => ({
      ...session,
      startedByYou: session.startedById === learner.id,
      // A group role-play's summary has an entry per learner: keep only this learner's.
      summary: Array.isArray(session.summary) ? session.summary.filter((entry) => (entry as { userId?: unknown } | null)?.userId === learner.id) : session.summary,
    }));
    const file = {
      format: PERSONAL_DATA_FORMAT,
      version: PERSONAL_DATA_VERSION,
      exportedAt: this.clock().toISOString(),
      ...data,
      simulationSessions,
    };
    return `${JSON.stringify(file, null, 2)}\n`;
  }

  counts(learner: Pick<Learner, 'id'>): Promise<ForgottenCounts> {
    return this.repository.counts(learner.id);
  }

  /** Deletes the learner and everything that is theirs; undefined if they were already deleted. */
  async forget(learner: Pick<Learner, 'id'>): Promise<ForgottenCounts | undefined> {
    await this.flushLog();
    return this.repository.deleteUser(learner.id);
  }

  /**
   * Buffered activity entries of this learner must reach the database first: /mydata should show them, and
   * after /forget a late batch with their (deleted) user id would be refused. Best effort: a failing log
   * must not block a learner's right to see or delete their data.
   */
  private async flushLog(): Promise<void> {
    try {
      await this.activityLog.flush();
    } catch {
      // The log keeps its entries and retries on its own.
    }
  }
}
