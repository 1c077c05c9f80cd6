// `npm run build`: bundles src/ into dist/ with esbuild, so that `node dist/main.js` loads a few large files
// instead of the ~600 small modules the terminal loads at start. On Node 20 (no module compile cache),
// resolving, reading and compiling each module was most of the start-up: ready on a migrated database fell
// from ~800 to ~520 ms and idle RSS by ~7 MB against the per-file tsc output (docs/benchmarks.md). Type checking stays with
// `npm run typecheck` (tsc --noEmit), which CI runs; esbuild only strips types.
//
// Entry points keep their paths (dist/main.js, dist/cli/*.js, and the modules the benchmarks import);
// code they share goes to dist/chunks/, and each dynamic import() (a platform adapter, pg, ioredis, the
// language-identification data) stays a separate chunk that is loaded only when used.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prismaWasmAsFile } from './prisma-wasm-file.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const outdir = join(root, 'dist');

const cliEntries = readdirSync(join(src, 'cli')).filter((name) => name.endsWith('.ts')).map((name) => join(src, 'cli', name));
// app, config and logger are imported by the benchmarks (bench/support/built.ts: the core without an adapter),
// and so are the two platform adapters, which main.ts imports lazily (they stay chunks of their own either way),
// and the terminal's renderer (the request-path scenario renders every reply as the terminal does).
// The migration worker runs in its own thread from its own file (src/core/db/migrate-in-worker.ts).
const benchmarked = ['app.ts', 'config.ts', 'logger.ts', 'bots/telegram/index.ts', 'bots/discord/index.ts', 'bots/console/render.ts'].map((path) => join(src, path));
const entryPoints = [join(src, 'main.ts'), ...benchmarked, join(src, 'core', 'db', 'migrate-worker.ts'), ...cliEntries];

// Native addons and packages that locate files next to themselves stay in node_modules.
const external = ['better-sqlite3', '@napi-rs/canvas', '@prisma/schema-engine-wasm', 'bottleneck'];

// What the last two builds wrote (relative to dist/): anything else under dist/ is removed after a build.
const outputsFile = join(outdir, '.build-outputs.json');

/** Every file under `dir`, relative to dist/. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(outdir, join(entry.parentPath ?? entry.path, entry.name)));
}

export async function buildDist() {
  // Written over the previous build, not into an emptied folder: a bot still running from dist/ loads its
  // lazy chunks (a platform adapter, the language data) later, and chunk names change with their content.
  // The previous build's chunks are kept for such a process; older ones and leftovers are removed.
  const wasmFiles = [];
  const result = await build({
    entryPoints,
    outdir,
    outbase: src,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'bundle',
    external,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    // CommonJS dependencies call require() for Node's built-ins; an ESM bundle has no require of its own.
    banner: { js: "import { createRequire as __tutorCreateRequire } from 'node:module'; const require = __tutorCreateRequire(import.meta.url);" },
    // No `keepNames`: it wraps every named function and closure in __name(), a defineProperty call of ~0.3 µs
    // each time the closure is created (~57 per /flashcards) and ~40 ms of start-up. What it protected was
    // node-fetch's `constructor.name === 'AbortSignal'` check under grammY, which our own fetch
    // (src/bots/telegram/bot-api-fetch.ts) no longer reaches; the other name checks in the bundle are on Node's
    // own classes, and Prisma, grammY and discord.js set the names they compare or print themselves.
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [prismaWasmAsFile(join(outdir, 'chunks'), wasmFiles)],
  });
  // The query compiler's bytes are read relative to the chunk that loads them (prisma-wasm-file.mjs).
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const loadsWasm = Object.keys(output.inputs).some((input) => input.endsWith('.wasm-base64.mjs'));
    if (loadsWasm && dirname(resolve(root, path)) !== join(outdir, 'chunks')) throw new Error(`${path} reads the query compiler from dist/chunks/ but is not there`);
  }
  const current = [...Object.keys(result.metafile.outputs).map((path) => relative(outdir, resolve(root, path))), ...wasmFiles.map((name) => join('chunks', name))];
  let previous = [];
  try {
    previous = JSON.parse(readFileSync(outputsFile, 'utf8')).current ?? [];
  } catch {
    // first build, or the output list is unreadable: keep only this build's files
  }
  const keep = new Set([...current, ...previous, relative(outdir, outputsFile), '.build-stamp']);
  for (const file of filesUnder(outdir)) if (!keep.has(file)) rmSync(join(outdir, file));
  writeFileSync(outputsFile, `${JSON.stringify({ current })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDist();
}
