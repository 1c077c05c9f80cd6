// A journaled rating or feedback can be written twice: a process killed after the database took it and before
// the journal let go of it replays it at the next start. The write is idempotent (a text with the same learner,
// time and text is stored once; a rating replaces only an older one), so replaying the same journal twice —
// the second time after the learner rated again — leaves one row each, and the later rating stands.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/actions.ts';
import { FeedbackJournal } from '../../src/core/journal/feedback-journal.ts';
import { conversationKey } from '../../src/core/types.ts';
import { captureLogger, createTestCore, type TestCore } from '../support/core.ts';
import { sqliteTestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { tempJournalDir } from '../support/journal-dir.ts';
import { until } from '../faults/helpers.ts';

describe('replaying journaled ratings and feedback', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  async function core(url: string, journalDir: string): Promise<TestCore> {
    const tc = await createTestCore({ database: { url, drop: async () => {} }, env: { ACTIVITY_JOURNAL_DIR: journalDir } });
    cleanups.push(() => tc.close());
    return tc;
  }

  it('twice (a kill before the journal let go): one row each, and a later rating is not undone', async () => {
    const db = sqliteTestDatabase();
    cleanups.push(() => db.drop());
    const [first, journalA, journalB] = [tempJournalDir(), tempJournalDir(), tempJournalDir()];
    cleanups.push(() => [first, journalA, journalB].forEach((j) => j.remove()));

    // Content made while the database was up.
    let tc = await core(db.url, first.dir);
    const ana = incomingFrom(tc.logger, { id: 'ana', name: 'Ana' });
    await tc.frontDoor.text(ana, '/settings lang:es base:en level:A2', { addressed: true });
    const cards = await tc.frontDoor.text(ana, '/flashcards kitchen count:2', { addressed: true });
    const generationId = cards?.find((r) => r.rateGenerationId !== undefined)?.rateGenerationId;
    expect(generationId).toBeDefined();
    const userId = (await tc.prisma.user.findFirstOrThrow()).id;
    await tc.close();
    cleanups.pop();

    // What a process left in its journal during an outage: a rating by button and a feedback text.
    const { logger } = captureLogger();
    const journal = new FeedbackJournal({ dir: join(journalA.dir, 'feedback'), maxBytes: 1024 * 1024, fsyncIntervalMs: 0, logger });
    const key = conversationKey(ana.conversation);
    journal.append({ kind: 'rating', userId, conversationKey: key, generationId: generationId!, rating: 3 });
    journal.append({ kind: 'text', userId, conversationKey: key, text: 'Muy útil' });
    expect(await journal.close()).toBe(2);
    cpSync(journalA.dir, journalB.dir, { recursive: true }); // the same records, to be replayed a second time

    tc = await core(db.url, journalA.dir);
    await until(() => tc.core.services.feedback.deferred()?.pending === 0, 30_000, 'the first replay');
    expect(tc.core.services.feedback.deferred()).toMatchObject({ written: 2, refused: 0 });
    // The learner rates again afterwards: 5 replaces the journaled 3.
    expect(replyText(await tc.frontDoor.action(ana, encodeAction({ kind: 'rate', generationId: generationId!, rating: 5 })))).toContain('5/5');
    const afterRating = await tc.prisma.feedback.findMany({ orderBy: { id: 'asc' } });
    await tc.close();
    cleanups.pop();

    tc = await core(db.url, journalB.dir);
    await until(() => tc.core.services.feedback.deferred()?.pending === 0, 30_000, 'the second replay');
    expect(tc.core.services.feedback.deferred()).toMatchObject({ written: 2, refused: 0 });
    const rows = await tc.prisma.feedback.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => ({ rating: r.rating, text: r.feedbackText, generation: r.relatedGenerationId }))).toEqual([
      { rating: afterRating[0]!.rating, text: null, generation: generationId },
      { rating: null, text: 'Muy útil', generation: generationId },
    ]);
    expect(afterRating[0]!.rating).toBe(5);
  });
});
