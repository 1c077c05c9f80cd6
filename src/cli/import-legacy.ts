// `npm run import-legacy -- <folder>`: imports the earlier tutor's curriculum JSON files (seed 2's
// data/curricula/) into DATABASE_URL, like the bot opens it (pending migrations are applied first).
// The accepted file shape is documented in src/core/services/legacy-import/legacy-format.ts and in --help.
import 'dotenv/config';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../core/db/client.ts';
import { parseDatabaseUrl } from '../core/db/url.ts';
import { createI18n, type Translator } from '../core/i18n/index.ts';
import { LegacyImportRepository } from '../core/repositories/legacy-import-repository.ts';
import { LegacyImportService, type LegacyOutcome } from '../core/services/legacy-import.ts';

export interface ImportLegacyOptions {
  args: string[];
  databaseUrl: string | undefined;
  /** Where report lines go (stdout by default). */
  print?: (line: string) => void;
}

/** Runs the import and returns the exit code: 0 all imported or already there, 1 some file failed, 2 usage. */
export async function importLegacy(options: ImportLegacyOptions): Promise<number> {
  const t = createI18n().translator('en');
  const print = options.print ?? ((line: string) => console.log(line));
  if (options.args.includes('--help') || options.args.includes('-h')) {
    print(t('data.legacy.help'));
    return 0;
  }
  const [folderArg] = options.args.filter((a) => !a.startsWith('-'));
  if (!folderArg) {
    print(t('data.legacy.usage'));
    return 2;
  }
  const folder = await curriculaFolder(resolve(folderArg));
  if (!folder) {
    print(t('data.legacy.noFolder', { folder: folderArg }));
    return 2;
  }
  const files = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) {
    print(t('data.legacy.noFiles', { folder }));
    return 0;
  }

  const target = parseDatabaseUrl(options.databaseUrl);
  print(t('data.legacy.reading', { count: files.length, folder, database: target.provider === 'sqlite' ? target.location : 'PostgreSQL' }));
  const database = await openDatabase(options.databaseUrl);
  try {
    const service = new LegacyImportService(new LegacyImportRepository(database.prisma), (id) => t('data.legacy.displayName', { id }));
    const outcomes: LegacyOutcome[] = [];
    for (const name of files) {
      const outcome = await importOne(service, join(folder, name), name);
      outcomes.push(outcome);
      print(describe(t, outcome));
    }
    const imported = outcomes.filter((o) => o.kind === 'imported').length;
    const already = outcomes.filter((o) => o.kind === 'alreadyImported').length;
    const failed = outcomes.length - imported - already;
    print(t('data.legacy.summary', { imported, already, failed }));
    return failed > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

/** The old app's folder or its data/curricula folder itself. */
async function curriculaFolder(folder: string): Promise<string | undefined> {
  for (const candidate of [join(folder, 'data', 'curricula'), folder]) {
    if ((await stat(candidate).catch(() => undefined))?.isDirectory()) return candidate;
  }
  return undefined;
}

async function importOne(service: LegacyImportService, path: string, file: string): Promise<LegacyOutcome> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { kind: 'unreadable', file, error: (error as Error).message };
  }
  return service.importFile(file, text);
}

function describe(t: Translator, outcome: LegacyOutcome): string {
  const { kind, ...params } = outcome;
  return t(`data.legacy.${kind}`, params);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = await importLegacy({ args: process.argv.slice(2), databaseUrl: process.env.DATABASE_URL?.trim() || undefined });
  } catch (error) {
    console.error(`import-legacy failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
