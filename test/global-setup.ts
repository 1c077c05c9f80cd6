// Before any test: dist/ is current, as `npm ci` (postinstall) and the pre-scripts of `npm start` and
// `npm run chat` make it. The tests that start the bot as a process run dist/main.js, the way those commands do.
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../src/core/paths.ts';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: projectRoot, stdio: 'inherit' });
}
