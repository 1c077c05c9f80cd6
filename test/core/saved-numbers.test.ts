// Saved items are numbered per learner (#1, #2 … of their own), never by the database's global id: a new
// learner's first save is #1 whatever others saved, `/saved N`, `/delete N` and the Save button use that number,
// and linking two accounts numbers the moved items after the kept learner's. On SQLite and PostgreSQL.
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/core/actions.ts';
import { loadMigrationsList } from '../../src/core/db/migrations.ts';
import { SavedContentRepository } from '../../src/core/repositories/saved-content-repository.ts';
import { POSTGRES_URL, PROVIDERS, postgresTestDatabase } from '../support/databases.ts';
import { createTestCore } from '../support/core.ts';
import { freshPerTest } from '../support/database-per-test.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

describe.each(PROVIDERS)('saved item numbers ($name)', ({ name, create, skip }) => {
  const { open: start } = freshPerTest(create, (db) => createTestCore({ database: db }));
  const title = (text: string) => (skip ? `${text} [skipped: ${skip}]` : text);

  it.skipIf(Boolean(skip))(title(`a second learner's first save is #1, and /saved, /delete and the Save button use their own numbers (${name})`), async () => {
    const core = await start();
    const ana = incomingFrom(core.logger, { id: 'ana', name: 'Ana' });
    const ben = incomingFrom(core.logger, { id: 'ben', name: 'Ben' });
    const say = async (who: typeof ana, text: string) => replyText(await core.frontDoor.text(who, text, { addressed: true }));

    await say(ana, '/flashcards kitchen count:2');
    expect(await say(ana, '/save ana one')).toContain('Saved as #1 "ana one"');
    await say(ana, '/exercises kitchen count:1');
    expect(await say(ana, '/save ana two')).toContain('Saved as #2 "ana two"');

    // Ben's first item is his #1, not the database's third row.
    await say(ben, '/flashcards bakery count:2');
    expect(await say(ben, '/save ben one')).toContain('Saved as #1 "ben one"');
    // The Save button under Ben's next content answers with his number too.
    const replies = (await core.frontDoor.text(ben, '/exercises bakery count:1', { addressed: true })) ?? [];
    const save = replies.flatMap((r) => r.buttons?.flat() ?? []).find((b) => decodeAction(b.data)?.kind === 'save')!;
    expect(replyText(await core.frontDoor.action(ben, save.data))).toContain('Saved as #2');
    expect(replyText(await core.frontDoor.action(ben, save.data))).toContain('Already saved as #2');

    const list = await say(ben, '/saved');
    expect(list).toContain('#1 flashcards: ben one');
    expect(list).toContain('#2 exercises');
    expect(list).not.toContain('#3');
    expect(await say(ben, '/saved 1')).toContain('#1 ben one');
    // Ana's #2 is hers: Ben's #2 is a different item, and his #3 does not exist, like any missing number.
    expect(await say(ana, '/saved 2')).toContain('#2 ana two');
    expect(await say(ben, '/saved 3')).toBe('You have no saved item #3. Type /saved to see your items.');

    expect(await say(ben, '/delete 1')).toContain('Deleted #1.');
    expect(await say(ana, '/saved 1')).toContain('#1 ana one'); // Ana's #1 is untouched
    expect(await say(ben, '/delete 1')).toBe('You have no saved item #1. Type /saved to see your items.');
    // Numbers are not reused: Ben's next save follows his highest.
    await say(ben, '/flashcards market count:2');
    expect(await say(ben, '/save')).toContain('Saved as #3');

    const rows = await core.prisma.savedContent.findMany({ orderBy: { id: 'asc' }, select: { userId: true, number: true } });
    expect(rows.map((r) => r.number)).toEqual([1, 2, 2, 3]);
  });

  it.skipIf(Boolean(skip))(title(`saves at the same moment get distinct numbers 1…n (${name})`), async () => {
    const core = await start();
    const user = await core.prisma.user.create({ data: { displayName: 'Ana' } });
    const repository = new SavedContentRepository(core.prisma);
    const item = (i: number) => ({
      userId: user.id, contentType: 'flashcards', originalQuery: `topic ${i}`, contentData: { cards: [] },
      targetLanguage: 'es', baseLanguage: 'en', generationId: null, userLabel: null, userNotes: null,
    });
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => repository.create(item(i))));
    expect(created.map((c) => c.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.skipIf(Boolean(skip))(title(`linking two accounts numbers the moved items after the kept learner's (${name})`), async () => {
    const core = await start();
    const tg = incomingFrom(core.logger, { id: 'tg-1', name: 'Ana' }, { platform: 'telegram' });
    const dc = incomingFrom(core.logger, { id: 'dc-1', name: 'Ana' }, { platform: 'discord' });
    const say = async (who: typeof tg, text: string) => replyText(await core.frontDoor.text(who, text, { addressed: true }));
    // The other account saved first: its rows have the lower ids, yet they come after the kept learner's #1.
    await say(dc, '/flashcards bakery count:2');
    await say(dc, '/save dc one');
    await say(dc, '/exercises bakery count:1');
    await say(dc, '/save dc two');
    await say(tg, '/flashcards kitchen count:2');
    expect(await say(tg, '/save tg one')).toContain('Saved as #1');
    const code = /link code: (\S+)/i.exec(await say(tg, '/link'))![1]!;
    expect(await say(dc, `/link ${code}`)).toContain('Linked');
    const list = await say(tg, '/saved');
    expect(list).toContain('#1 flashcards: tg one');
    expect(list).toContain('#2 flashcards: dc one');
    expect(list).toContain('#3 exercises: dc two');
  });
});

describe('the saved_item_numbers migration', () => {
  /** The SQL of the migrations before saved_item_numbers, and of that one. */
  async function migrationSql(provider: 'sqlite' | 'postgresql') {
    const list = await loadMigrationsList(provider);
    const index = list.migrationDirectories.findIndex((m) => m.path.endsWith('_saved_item_numbers'));
    const sql = (m: (typeof list.migrationDirectories)[number]) => (m.migrationFile.content as { value: string }).value;
    return { before: list.migrationDirectories.slice(0, index).map(sql), numbering: sql(list.migrationDirectories[index]!) };
  }
  const seed = `
    INSERT INTO "users" ("user_id", "display_name") VALUES (1, 'Ana'), (2, 'Ben');
    INSERT INTO "saved_content" ("saved_content_id", "user_id", "content_type", "original_query", "content_data")
      VALUES (1, 1, 'flashcards', 'a', '{}'), (2, 2, 'flashcards', 'b', '{}'), (3, 1, 'exercises', 'c', '{}'), (4, 2, 'curriculum', 'd', '{}'), (5, 2, 'flashcards', 'e', '{}');`;
  const expected = [
    { id: 1, user: 1, number: 1 },
    { id: 2, user: 2, number: 1 },
    { id: 3, user: 1, number: 2 },
    { id: 4, user: 2, number: 2 },
    { id: 5, user: 2, number: 3 },
  ];

  it('numbers existing items per learner in the order they were saved (sqlite)', async () => {
    const { before, numbering } = await migrationSql('sqlite');
    const db = new Database(':memory:');
    try {
      for (const sql of before) db.exec(sql);
      db.exec(seed);
      db.exec(numbering);
      const rows = db.prepare('SELECT saved_content_id AS id, user_id AS user, number FROM saved_content ORDER BY saved_content_id').all();
      expect(rows).toEqual(expected);
    } finally {
      db.close();
    }
  });

  it.skipIf(!POSTGRES_URL)('numbers existing items per learner in the order they were saved (postgresql)', async () => {
    const { before, numbering } = await migrationSql('postgresql');
    const database = await postgresTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const sql of before) await client.query(sql);
      await client.query(seed);
      await client.query(numbering);
      const { rows } = await client.query('SELECT saved_content_id AS id, user_id AS "user", number FROM saved_content ORDER BY saved_content_id');
      expect(rows).toEqual(expected);
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
