import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory above `start` that holds package.json. */
function packageRootAbove(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/**
 * The repository root (holds prisma/, data/ and package.json). Found by walking up, because this module runs
 * from src/core/ (tsx, tests) and from a chunk of the bundle under dist/ (`npm start`).
 */
export const projectRoot = packageRootAbove(dirname(fileURLToPath(import.meta.url)));
