// Compiles src/ into dist/ (tsconfig.build.json) when dist/ is missing or older than the sources, so that
// `npm ci && npm run chat` works from a fresh clone and an edited checkout never runs stale JavaScript.
// Runs after `npm ci` (postinstall) and before `npm start` / `npm run chat` (their pre-scripts); when dist/
// is current it only compares file times (a few milliseconds).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.tsbuildinfo');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
if (existsSync(stamp) && statSync(stamp).mtimeMs >= inputs) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(stamp)) {
    console.error('dist/ is older than src/, and TypeScript is not installed (npm ci --omit=dev?): running the existing build.');
    process.exit(0);
  }
  console.error('dist/ is missing and TypeScript is not installed: run `npm ci` (with dev dependencies), then `npm run build`.');
  process.exit(1);
}
process.stderr.write('Building dist/ from src/ (tsc)…\n');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  // Forget the stamp, so that the next run builds again rather than trusting a failed build.
  rmSync(stamp, { force: true });
  console.error('The build failed (see the errors above).');
  process.exit(1);
}
