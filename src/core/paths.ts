import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (holds prisma/, data/ and package.json). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
