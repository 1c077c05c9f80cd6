// `npm run import-legacy -- <folder>`: imports the earlier tutor's curriculum JSON files (seed 2's
// data/curricula/) into DATABASE_URL, like the bot opens it (pending migrations are applied first).
// The accepted file shape is documented in src/core/services/legacy-import/legacy-format.ts and in --help.
import 'dotenv/config';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../core/db/client.ts';
import { parseDatabaseUrl } from '../core/db/url.ts';
import { createI18n, type Translator } from '../core/i18n/index.ts';
import { LegacyImportRepository } from '../core/repositories/legacy-import-repository.ts';
import { configSchema } from '../config.ts';
import { DEFAULT_LEGACY_LIMITS, LegacyImportService, type LegacyLimits, type LegacyOutcome } from '../core/services/legacy-import.ts';

export interface ImportLegacyOptions {
  args: string[];
  databaseUrl: string | undefined;
  /** Where report lines go (stdout by default). */
  print?: (line: string) => void;
  limits?: LegacyLimits;
}

/** The LEGACY_IMPORT_MAX_* settings (see .env.example); a bad value throws, naming the variable. */
export function legacyLimitsFrom(env: NodeJS.ProcessEnv): LegacyLimits {
  const parsed = configSchema
    .pick({ LEGACY_IMPORT_MAX_FILE_BYTES: true, LEGACY_IMPORT_MAX_DEPTH: true, LEGACY_IMPORT_MAX_LESSONS: true, LEGACY_IMPORT_MAX_LESSON_ITEMS: true })
    .safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const c = parsed.data;
  return { maxFileBytes: c.LEGACY_IMPORT_MAX_FILE_BYTES, maxDepth: c.LEGACY_IMPORT_MAX_DEPTH, maxLessons: c.LEGACY_IMPORT_MAX_LESSONS, maxLessonItems: c.LEGACY_IMPORT_MAX_LESSON_ITEMS };
}

/** Runs the import and returns the exit code: 0 all imported or already there, 1 some file failed, 2 usage. */
export async function importLegacy(options: ImportLegacyOptions): Promise<number> {
  const t = createI18n().translator('en');
  // Everything printed comes from the files (names, titles, ids, error texts): control characters such as
  // ANSI escapes are shown as visible escapes, never sent to the operator's terminal.
  const print = ((out: (line: string) => void) => (line: string) => out(sanitize(line)))(options.print ?? ((line: string) => console.log(line)));
  const limits = options.limits ?? DEFAULT_LEGACY_LIMITS;
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
  const entries = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.name.toLowerCase().endsWith('.json'));
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  // A link may point anywhere (another user's file, a device): not followed, but said so.
  const links = entries
    .filter((entry) => entry.isSymbolicLink())
    .map((entry) => entry.name)
    .sort();
  const reportLinks = () => links.forEach((name) => print(describe(t, { kind: 'symlink', file: name })));
  if (files.length === 0) {
    reportLinks();
    print(t('data.legacy.noFiles', { folder }));
    return links.length > 0 ? 1 : 0;
  }

  const target = parseDatabaseUrl(options.databaseUrl);
  print(t('data.legacy.reading', { count: files.length, folder, database: target.provider === 'sqlite' ? target.location : 'PostgreSQL' }));
  reportLinks();
  const database = await openDatabase(options.databaseUrl);
  try {
    const service = new LegacyImportService(new LegacyImportRepository(database.prisma), (id) => t('data.legacy.displayName', { id }), limits);
    const outcomes: LegacyOutcome[] = [];
    for (const name of files) {
      let outcome: LegacyOutcome;
      try {
        outcome = await importOne(service, join(folder, name), name, limits);
      } catch (error) {
        // One file's unexpected failure is that file's: reported, and the run goes on to the next file.
        outcome = { kind: 'failed', file: name, error: (error as Error)?.message ?? String(error) };
      }
      outcomes.push(outcome);
      print(describe(t, outcome));
    }
    const imported = outcomes.filter((o) => o.kind === 'imported').length;
    const already = outcomes.filter((o) => o.kind === 'alreadyImported').length;
    const failed = outcomes.length - imported - already + links.length;
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

async function importOne(service: LegacyImportService, path: string, file: string, limits: LegacyLimits): Promise<LegacyOutcome> {
  let text: string;
  try {
    const { size } = await lstat(path);
    if (size > limits.maxFileBytes) return { kind: 'tooLarge', file, size, max: limits.maxFileBytes };
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { kind: 'unreadable', file, error: (error as Error).message };
  }
  return service.importFile(file, text);
}

function describe(t: Translator, outcome: LegacyOutcome): string {
  const { kind, ...params } = outcome;
  return t(`data.legacy.${kind}`, Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? clip(escapeControls(value)) : value])));
}

/** A value from a file, at most 200 characters. */
function clip(value: string): string {
  return value.length > 200 ? `${value.slice(0, 199)}…` : value;
}

/**
 * Control characters (C0, DEL, C1: ANSI escape sequences start with ESC or CSI) and the bidirectional
 * overrides that reorder what a terminal shows, written as visible \u escapes. A value from a file has its line
 * breaks escaped too (it cannot start a line of its own); a whole report line keeps them.
 */
export function escapeControls(text: string, keepLineBreaks = false): string {
  return text.replace(CONTROLS, (c) => (keepLineBreaks && c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const sanitize = (line: string) => escapeControls(line, true);

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = await importLegacy({
      args: process.argv.slice(2),
      databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
      limits: legacyLimitsFrom(process.env),
    });
  } catch (error) {
    console.error(sanitize(`import-legacy failed: ${(error as Error).message}`));
    process.exitCode = 1;
  }
}
