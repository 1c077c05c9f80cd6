// Ratings and feedback given while the database is away (issue 16, item 3). PostgreSQL sits behind a TCP proxy
// the test controls: content is made while it is up, then it is cut, and a learner presses a rating button,
// types /rate and /feedback. They hear "saved, stored when the database is back" (in their language); a
// command that needs the database still says it is unavailable (nothing else is queued). Once the database is
// back, every rating and feedback is in the database, once, with the target it had when it was given; a
// forged button (someone else's content) is dropped then, as it would have been refused at once.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/core/actions.ts';
import { createI18n } from '../../src/core/i18n/index.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, postgresTestDatabase, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { startFakeOpenAI } from '../support/fake-openai.ts';
import { tempJournalDir } from '../support/journal-dir.ts';
import { spawnTutor } from '../support/tutor-process.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { message, until } from './helpers.ts';

const en = createI18n().translator('en');
const fr = createI18n().translator('fr');

type Replies = Array<{ rateGenerationId?: number }> | null;
/** The rating button the Telegram and Discord adapters put under content (they build it from rateGenerationId). */
const rateButton = (replies: Replies, rating: number) => {
  const generationId = (replies ?? []).find((r) => r.rateGenerationId !== undefined)?.rateGenerationId;
  return generationId === undefined ? undefined : { kind: 'rate' as const, generationId, rating };
};

describe('ratings and feedback while PostgreSQL is away', () => {
  let db: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  let tc: TestCore | undefined;
  afterEach(async () => {
    await tc?.close();
    await proxy?.close();
    await db?.drop();
    tc = undefined;
    proxy = undefined;
    db = undefined;
  });

  it.skipIf(!POSTGRES_URL)(
    POSTGRES_SKIP_REASON ? `skipped: ${POSTGRES_SKIP_REASON}` : 'are journaled during the cut and written once when it is back: 0 lost, none twice',
    { timeout: 120_000 },
    async () => {
      db = await postgresTestDatabase();
      const target = new URL(POSTGRES_URL!);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      // The learners are known from the cache during the cut (a learner not in it gets "unavailable").
      tc = await createTestCore({ database: { url: proxy.rewrite(db.url), drop: async () => {} }, env: { LEARNER_CACHE_TTL_MS: '600000' } });
      const ana = incomingFrom(tc.logger, { id: 'ana', name: 'Ana' });
      const ben = incomingFrom(tc.logger, { id: 'ben', name: 'Ben' });
      await tc.frontDoor.text(ana, '/settings lang:es base:en level:A2', { addressed: true });
      await tc.frontDoor.text(ben, '/settings lang:es base:en level:A2', { addressed: true });
      const anaCards = await tc.frontDoor.text(ana, '/flashcards kitchen count:2', { addressed: true });
      const benCards = await tc.frontDoor.text(ben, '/flashcards market count:2', { addressed: true });
      const anaFive = rateButton(anaCards, 5)!;
      const benFive = rateButton(benCards, 5)!;
      expect(anaFive, JSON.stringify(anaCards).slice(0, 600)).toBeDefined();
      expect(benFive).toBeDefined();
      // Ana reads the bot in French from now on; both learners then make a request (the learner cache is warm).
      await tc.frontDoor.text(ana, '/settings base:fr', { addressed: true });
      expect(replyText(await tc.frontDoor.text(ana, '/saved', { addressed: true }))).not.toBe(fr('errors.databaseUnavailable'));
      expect(replyText(await tc.frontDoor.text(ben, '/saved', { addressed: true }))).not.toBe(en('errors.databaseUnavailable'));
      // The adapter tells the core which platform message carried Ben's cards (what a rating reaction names).
      const benMessage = { platform: 'console' as const, chatId: 'chat-ben', messageId: 'cards-1' };
      await tc.frontDoor.sent(benMessage, benCards!.find((r) => r.rateGenerationId !== undefined)!);
      const [anaGeneration, benGeneration] = [anaFive.generationId, benFive.generationId];

      proxy.down('reset');
      // Ana presses her rating button, Ben types /rate and reacts, Ana sends /feedback: all saved for later, in their language.
      expect(replyText(await tc.frontDoor.action(ana, encodeAction(anaFive)))).toBe(fr('feedback.savedLater'));
      expect(replyText(await tc.frontDoor.text(ben, '/rate 2', { addressed: true }))).toBe(en('feedback.savedLater'));
      // Then Ben reacts ⭐4 on his cards (a reaction has no reply): journaled after his /rate 2, so it stands.
      expect(await tc.frontDoor.reaction(ben, benMessage, 4)).toEqual([]);
      expect(replyText(await tc.frontDoor.text(ana, '/feedback Las tarjetas son muy útiles', { addressed: true }))).toBe(fr('feedback.savedLater'));
      // A forged button (Ben's content pressed by Ana) looks the same from outside; it is dropped at the write.
      expect(replyText(await tc.frontDoor.action(ana, encodeAction({ ...benFive, rating: 1 })))).toBe(fr('feedback.savedLater'));
      // Positive control: nothing else is queued; a command that needs the database still says so.
      expect(replyText(await tc.frontDoor.text(ana, '/saved', { addressed: true }))).toBe(fr('errors.databaseUnavailable'));
      expect(replyText(await tc.frontDoor.text(ben, '/stats', { addressed: true }))).toBe(en('errors.databaseUnavailable'));
      expect(tc.core.services.feedback.deferred()).toMatchObject({ queued: 5, pending: 5, written: 0 });
      expect(await countFeedbackDirectly(db.url)).toBe(0);

      proxy.restore();
      await until(() => tc!.core.services.feedback.deferred()?.pending === 0, 60_000, 'the journaled ratings to be written');
      const deferred = tc.core.services.feedback.deferred()!;
      expect(deferred).toMatchObject({ queued: 5, written: 4, refused: 1, pending: 0 });

      const users = new Map((await tc.prisma.user.findMany()).map((u) => [u.displayName.toLowerCase(), u.id]));
      const rows = await tc.prisma.feedback.findMany({ orderBy: { id: 'asc' } });
      const shape = rows.map((r) => ({ user: r.userId, rating: r.rating, text: r.feedbackText, generation: r.relatedGenerationId }));
      expect(shape).toEqual([
        { user: users.get('ana'), rating: 5, text: null, generation: anaGeneration },
        { user: users.get('ben'), rating: 4, text: null, generation: benGeneration },
        { user: users.get('ana'), rating: null, text: 'Las tarjetas son muy útiles', generation: anaGeneration },
      ]);
      // Afterwards ratings are stored at once again, and a later rating replaces the journaled one.
      expect(replyText(await tc.frontDoor.text(ben, '/rate 1', { addressed: true }))).toBe(en('rating.thanks', { rating: 1 }));
      const benRows = await tc.prisma.feedback.findMany({ where: { userId: users.get('ben') } });
      expect(benRows.map((r) => r.rating)).toEqual([1]);
      console.info(`[deferred ratings] ${deferred.queued} given during the cut, ${deferred.written} written after it, ${deferred.refused} refused (forged), ${deferred.queued - deferred.written - deferred.refused} lost, ${rows.length} rows`);
    },
  );
});

describe('a rating journaled during an outage, then a SIGKILL', () => {
  it.skipIf(!POSTGRES_URL)(
    POSTGRES_SKIP_REASON ? `skipped: ${POSTGRES_SKIP_REASON}` : 'the terminal chat killed after "saved for later": the restarted process writes the rating, once',
    { timeout: 120_000 },
    async () => {
      const db = await postgresTestDatabase();
      const target = new URL(POSTGRES_URL!);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const openai = await startFakeOpenAI();
      openai.respondWith((req) => tutorContent(req));
      const journal = tempJournalDir('deferred-kill');
      const env = {
        DATABASE_URL: proxy.rewrite(db.url),
        OPENAI_BASE_URL: openai.url,
        OPENAI_API_KEY: 'test-key-deferred-kill',
        ACTIVITY_JOURNAL_DIR: journal.dir,
        LEARNER_CACHE_TTL_MS: '600000',
      };
      try {
        const child = spawnTutor(['--chat'], env);
        await until(() => child.stdoutText().includes('Language tutor ready') || child.exitCode !== null, 30_000, 'the terminal to start');
        child.stdin.write('/settings lang:es base:en level:A2\n/flashcards kitchen count:2\n');
        await until(() => message('console.rateHint').test(child.stdoutText()), 30_000, 'the cards');
        proxy.down('reset');
        const from = child.stdoutText().length;
        child.stdin.write('/rate 3\n');
        await until(() => message('feedback.savedLater').test(child.stdoutText().slice(from)) || message('errors.databaseUnavailable').test(child.stdoutText().slice(from)), 30_000, 'the answer to /rate');
        expect(child.stdoutText().slice(from)).toMatch(message('feedback.savedLater'));
        child.kill('SIGKILL');
        expect((await child.exited).signal).toBe('SIGKILL');
        proxy.restore();
        expect(await countFeedbackDirectly(db.url)).toBe(0); // the control: the killed process wrote nothing

        const restarted = spawnTutor(['--chat'], env);
        restarted.stdin.end(); // end of input: a graceful stop once started (the journal written first)
        expect((await restarted.exited).code, restarted.stderrText()).toBe(0);
        const rows = await ratingsDirectly(db.url);
        expect(rows).toEqual([3]);
        console.info(`[deferred ratings] SIGKILL after "saved for later": after the restart ${rows.length} of 1 rating in the database, 0 lost, 0 twice`);
      } finally {
        await proxy.close();
        await openai.close();
        await db.drop();
        journal.remove();
      }
    },
  );
});

async function ratingsDirectly(url: string): Promise<Array<number | null>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ rating: number | null }>('SELECT rating FROM feedback ORDER BY feedback_id');
    return result.rows.map((r) => r.rating);
  } finally {
    await client.end();
  }
}

/** Feedback rows counted past the proxy (straight to the server): nothing was written during the cut. */
async function countFeedbackDirectly(url: string): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM feedback');
    return Number(result.rows[0]!.n);
  } finally {
    await client.end();
  }
}
