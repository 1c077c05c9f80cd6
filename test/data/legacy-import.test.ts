// `npm run import-legacy -- <folder>` on a folder in seed 2's layout, against a real database:
// good files are imported, broken ones reported by file and field, and a second run changes nothing.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { importLegacy } from '../../src/cli/import-legacy.ts';
import { openDatabase, type Database } from '../../src/core/db/client.ts';
import { PROVIDERS, sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';

let db: TestDatabase | undefined;
let database: Database | undefined;
let folder: string | undefined;
afterEach(async () => {
  await database?.close();
  await db?.drop();
  if (folder) rmSync(folder, { recursive: true, force: true });
  db = database = folder = undefined;
});

const lesson = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  sub_topic: `Topic ${id}`,
  description: 'About it',
  keywords: '["pan", "leche"]',
  flashcards: [
    { id: `${id}-f1`, word: 'el pan', definition: 'bread', example: 'Quiero pan.' },
    { id: `${id}-f2`, word: 'la leche', definition: 'milk', example: 'Bebo leche.' },
  ],
  exercises: [{ id: `${id}-e1`, sentence: 'Yo ___ pan.', answer: 'como', choices: '["como", "comes"]', explanation: 'First person.' }],
  simulations: [{ id: `${id}-s1`, title: 'At the bakery', setting: 'A bakery', content: '[{"speaker": "baker", "text": "Hola"}]' }],
  ...extra,
});

const curriculum = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  user_id: 7,
  title: `Course ${id}`,
  description: 'Food words',
  native_language: 'English',
  target_language: 'Spanish',
  proficiency: 'beginner',
  lesson_topic: 'food',
  status: 'active',
  created_at: '2024-05-01 10:00:00',
  updated_at: '2024-05-02T10:00:00Z',
  lessons: [lesson(`${id}-l1`), lesson(`${id}-l2`, { keywords: ['uno', 'dos'] })],
  ...extra,
});

/** An old app folder with data/curricula/: two good files, invalid JSON, a missing field, an unknown language. */
function legacyFolder(): string {
  folder = mkdtempSync(join(tmpdir(), 'legacy-'));
  const curricula = join(folder, 'data', 'curricula');
  mkdirSync(curricula, { recursive: true });
  const write = (name: string, content: unknown) => writeFileSync(join(curricula, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  write('a-food.json', curriculum('c-food'));
  write('b-travel.json', curriculum('c-travel', { user_id: '8', target_language: 'fr', native_language: 'en', proficiency: 'B1' }));
  write('c-broken.json', '{ "id": "c-broken", "title": ');
  const missing = curriculum('c-missing');
  delete (missing.lessons[1] as Record<string, unknown>).sub_topic;
  write('d-missing.json', missing);
  write('e-klingon.json', curriculum('c-klingon', { target_language: 'Klingonese' }));
  write('notes.txt', 'not a curriculum');
  return folder;
}

async function run(args: string[], url: string) {
  const lines: string[] = [];
  const code = await importLegacy({ args, databaseUrl: url, print: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

describe.each(PROVIDERS)('import-legacy on $name', ({ create, skip }) => {
  const title = (what: string) => (skip ? `${what} — skipped: ${skip}` : what);

  it.skipIf(Boolean(skip))(title('imports the good files, reports the others by file and field, and is idempotent'), async () => {
    db = await create();
    const dir = legacyFolder();
    const first = await run([dir], db.url);
    expect(first.code).toBe(1);
    expect(first.output).toContain('imported a-food.json: curriculum c-food "Course c-food" (2 lessons, 4 flashcards, 2 exercises, 2 simulations) for legacy user 7');
    expect(first.output).toContain('imported b-travel.json: curriculum c-travel');
    expect(first.output).toMatch(/skipped c-broken\.json: invalid JSON \(.+\)/);
    expect(first.output).toContain('skipped d-missing.json: missing field lessons[1].sub_topic');
    expect(first.output).toContain('skipped e-klingon.json: unknown language "Klingonese" in target_language');
    expect(first.output).not.toContain('notes.txt');
    expect(first.output).toContain('Done: 2 imported, 0 already imported, 3 could not be imported.');

    database = await openDatabase(db.url);
    const prisma = database.prisma;
    const snapshot = async () => ({
      users: await prisma.user.count(),
      accounts: await prisma.platformAccount.findMany({ orderBy: { externalId: 'asc' }, select: { platform: true, externalId: true } }),
      curricula: await prisma.curriculum.count(),
      lessons: await prisma.lesson.count(),
      flashcards: await prisma.flashcard.count(),
      exercises: await prisma.exercise.count(),
      simulations: await prisma.simulation.count(),
    });
    const after = await snapshot();
    expect(after).toEqual({
      users: 2,
      accounts: [{ platform: 'legacy', externalId: '7' }, { platform: 'legacy', externalId: '8' }],
      curricula: 2,
      lessons: 4,
      flashcards: 8,
      exercises: 4,
      simulations: 4,
    });
    const food = await prisma.curriculum.findUniqueOrThrow({
      where: { id: 'c-food' },
      include: { user: { include: { accounts: true } }, lessons: { orderBy: { position: 'asc' }, include: { exercises: true, simulations: true } } },
    });
    expect(food).toMatchObject({ nativeLanguage: 'en', targetLanguage: 'es', proficiency: 'A1', lessonTopic: 'food', status: 'active' });
    expect(food.createdAt.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(food.updatedAt.toISOString()).toBe('2024-05-02T10:00:00.000Z');
    expect(food.user).toMatchObject({ displayName: 'Legacy learner 7', defaultTargetLanguage: 'es', defaultBaseLanguage: 'en', level: 'A1' });
    expect(food.lessons.map((l) => [l.position, l.subTopic, l.keywords, l.status])).toEqual([
      [1, 'Topic c-food-l1', ['pan', 'leche'], 'not_started'],
      [2, 'Topic c-food-l2', ['uno', 'dos'], 'not_started'],
    ]);
    expect(food.lessons[0]!.exercises[0]).toMatchObject({ kind: 'multiple_choice', choices: ['como', 'comes'], answer: 'como' });
    expect(food.lessons[0]!.simulations[0]!.content).toEqual([{ speaker: 'baker', text: 'Hola' }]);

    const second = await run([join(dir, 'data', 'curricula')], db.url);
    expect(second.output).toContain('skipped a-food.json: already imported (curriculum c-food)');
    expect(second.output).toContain('skipped b-travel.json: already imported (curriculum c-travel)');
    expect(second.output).toContain('Done: 0 imported, 2 already imported, 3 could not be imported.');
    expect(await snapshot()).toEqual(after);
  });

  it.skipIf(Boolean(skip))(title('a file whose lesson ids are taken is reported and leaves nothing behind'), async () => {
    db = await create();
    folder = mkdtempSync(join(tmpdir(), 'legacy-'));
    writeFileSync(join(folder, '1.json'), JSON.stringify(curriculum('c-one')));
    writeFileSync(join(folder, '2.json'), JSON.stringify(curriculum('c-two', { user_id: 99, lessons: [lesson('c-one-l1')] })));
    const result = await run([folder], db.url);
    expect(result.output).toContain('skipped 2.json: an id in it is already used by other data (curriculum c-two)');
    database = await openDatabase(db.url);
    expect(await database.prisma.curriculum.count()).toBe(1);
    expect(await database.prisma.platformAccount.count({ where: { externalId: '99' } })).toBe(0);
  });
});

describe('import-legacy command line', () => {
  it('--help documents the accepted file shape; a wrong folder is a usage error', async () => {
    const help = await run(['--help'], 'file::memory:');
    expect(help.code).toBe(0);
    for (const field of ['user_id', 'native_language', 'sub_topic', 'flashcards', 'definition', 'choices', 'simulations', 'data/curricula']) {
      expect(help.output).toContain(field);
    }
    expect((await run([], 'file::memory:')).code).toBe(2);
    expect(await run(['/no/such/folder'], 'file::memory:')).toEqual({ code: 2, output: 'Not a folder: /no/such/folder' });
  });

  it('runs as `npm run import-legacy -- <folder>` with DATABASE_URL', async () => {
    db = sqliteTestDatabase();
    const dir = legacyFolder();
    // Exit code 1: some files could not be imported (execFile rejects, with the output attached).
    const failure = await promisify(execFile)('npm', ['run', '--silent', 'import-legacy', '--', dir], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: db.url },
    }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain('Done: 2 imported, 0 already imported, 3 could not be imported.');
  }, 60_000);
});

describe('import-legacy with hostile files, as an operator runs it', () => {
  const ESC = '\u001b';
  /** `npm run import-legacy -- <folder>` in a child process; the exit code and the raw bytes it wrote. */
  async function npmRun(dir: string, url: string) {
    return promisify(execFile)('npm', ['run', '--silent', 'import-legacy', '--', dir], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: url, LEGACY_IMPORT_MAX_FILE_BYTES: '250000', LEGACY_IMPORT_MAX_LESSONS: '5', LEGACY_IMPORT_MAX_LESSON_ITEMS: '10' },
      maxBuffer: 10 * 1024 * 1024,
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  }

  it('a deep file, ANSI in a title, oversized files and a symlink are each reported; the good files are imported; a rerun changes nothing', async () => {
    db = sqliteTestDatabase();
    folder = mkdtempSync(join(tmpdir(), 'legacy-hostile-'));
    const write = (name: string, content: unknown) => writeFileSync(join(folder!, name), typeof content === 'string' ? content : JSON.stringify(content));
    write('a-ansi.json', curriculum('c-ansi', { title: `Red ${ESC}[31mALERT${ESC}[0m${ESC}]0;pwned\u0007 \u202eevil\nimported fake.json` }));
    // 100 000 levels inside a simulation: parsing is fine, but anything that walks it recursively overflows the stack.
    const deep = curriculum('c-deep');
    write('b-deep.json', JSON.stringify(deep).replace('"content":"[', `"content":${'['.repeat(100_000)}${']'.repeat(100_000)},"x":"[`));
    write('c-huge.json', curriculum('c-huge', { description: 'x'.repeat(300_000) }));
    write('d-lessons.json', curriculum('c-lessons', { lessons: Array.from({ length: 6 }, (_, i) => lesson(`c-lessons-l${i}`)) }));
    const cards = Array.from({ length: 11 }, (_, i) => ({ id: `c-cards-f${i}`, word: `w${i}`, definition: `d${i}` }));
    write('e-cards.json', curriculum('c-cards', { lessons: [lesson('c-cards-l1', { flashcards: cards })] }));
    symlinkSync('/etc/passwd', join(folder, 'f-link.json'));
    write('g-good.json', curriculum('c-good', { user_id: 8 }));

    const first = await npmRun(folder, db.url);
    expect(first.code).toBe(1);
    const out = first.stdout;
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u0007');
    expect(out).not.toContain('\u202e');
    expect(out).toContain('imported a-ansi.json: curriculum c-ansi "Red \\u001b[31mALERT\\u001b[0m\\u001b]0;pwned\\u0007 \\u202eevil\\u000aimported fake.json" (2 lessons');
    expect(out).not.toMatch(/^imported fake\.json/m);
    expect(out).toContain('skipped b-deep.json: nested deeper than LEGACY_IMPORT_MAX_DEPTH (64 levels)');
    expect(out).toMatch(/skipped c-huge\.json: \d+ bytes, more than LEGACY_IMPORT_MAX_FILE_BYTES \(250000\)/);
    expect(out).toContain('skipped d-lessons.json: 6 lessons, more than LEGACY_IMPORT_MAX_LESSONS (5)');
    expect(out).toContain('skipped e-cards.json: lessons[0].flashcards has 11 entries, more than LEGACY_IMPORT_MAX_LESSON_ITEMS (10)');
    expect(out).toContain('skipped f-link.json: a symbolic link (not followed; copy the file itself into the folder)');
    expect(out).toContain('imported g-good.json: curriculum c-good');
    expect(out).toContain('Done: 2 imported, 0 already imported, 5 could not be imported.');

    database = await openDatabase(db.url);
    const snapshot = async () => ({
      curricula: (await database!.prisma.curriculum.findMany({ orderBy: { id: 'asc' }, select: { id: true, title: true } })).map((c) => c.id),
      lessons: await database!.prisma.lesson.count(),
      flashcards: await database!.prisma.flashcard.count(),
      users: await database!.prisma.user.count(),
    });
    const after = await snapshot();
    expect(after).toEqual({ curricula: ['c-ansi', 'c-good'], lessons: 4, flashcards: 8, users: 2 });

    const second = await npmRun(folder, db.url);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain('skipped a-ansi.json: already imported (curriculum c-ansi)');
    expect(second.stdout).toContain('skipped b-deep.json: nested deeper than LEGACY_IMPORT_MAX_DEPTH (64 levels)');
    expect(second.stdout).toContain('skipped g-good.json: already imported (curriculum c-good)');
    expect(second.stdout).toContain('Done: 0 imported, 2 already imported, 5 could not be imported.');
    expect(await snapshot()).toEqual(after);
  }, 120_000);
});
