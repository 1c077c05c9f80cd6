// Bundles src/ into dist/ (scripts/build.mjs, esbuild) when dist/ is missing or older than the sources, so that
// `npm ci && npm run chat` works from a fresh clone and an edited checkout never runs stale JavaScript.
// Runs after `npm ci` (postinstall) and before `npm start` / `npm run chat` (their pre-scripts); when dist/
// is current it only compares file times (a few milliseconds).
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = Math.max(
  newestMtime(join(root, 'src')),
  statSync(join(root, 'scripts', 'build.mjs')).mtimeMs,
  statSync(join(root, 'scripts', 'prisma-wasm-file.mjs')).mtimeMs,
  statSync(join(root, 'package-lock.json')).mtimeMs,
);
if (existsSync(stamp) && statSync(stamp).mtimeMs >= inputs) process.exit(0);

let buildDist;
try {
  ({ buildDist } = await import('./build.mjs'));
} catch {
  if (existsSync(join(root, 'dist', 'main.js'))) {
    console.error('dist/ is older than src/, and esbuild is not installed (npm ci --omit=dev?): running the existing build.');
    process.exit(0);
  }
  console.error('dist/ is missing and esbuild is not installed: run `npm ci` (with dev dependencies), then `npm run build`.');
  process.exit(1);
}
process.stderr.write('Building dist/ from src/ (esbuild)…\n');
try {
  await buildDist();
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
} catch {
  // No stamp, so that the next run builds again rather than trusting a failed build.
  rmSync(stamp, { force: true });
  console.error('The build failed (see the errors above).');
  process.exit(1);
}
