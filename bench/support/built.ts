// The bot's modules as production runs them: the esbuild bundle in dist/ (scripts/build.mjs), rebuilt first when
// src/ is newer (scripts/ensure-built.mjs, as `npm start` does). The benchmarks measure these rather than the
// TypeScript sources under tsx, whose transform is not what runs in production: it wraps every named closure
// in esbuild's keepNames __name() (a defineProperty each time one is created) and loads ~600 modules unbundled.
// The types are those of the sources the bundle is built from.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let checked = false;

function fromDist<T>(path: string): Promise<T> {
  if (!checked) {
    // As in production, where nothing turns source maps on. tsx does, for this whole process, and passes the
    // dist/ chunks it loads through its transform, which attaches source maps: one formatted stack through the
    // Discord chunk (discord.js's "Manager was destroyed" when a load's adapter stops) then decoded its map into
    // 1.4 million arrays, ~150 MB that stayed on the heap through every later measured load (246 MB live after
    // the adapter loads against 92 MB with maps off). Stacks from here on show the lines tsx compiled to.
    process.setSourceMapsEnabled(false);
    execFileSync(process.execPath, [join(root, 'scripts', 'ensure-built.mjs')], { cwd: root, stdio: 'inherit' });
    checked = true;
  }
  return import(pathToFileURL(join(root, 'dist', path)).href) as Promise<T>;
}

export const builtApp = () => fromDist<typeof import('../../src/app.ts')>('app.js');
export const builtConfig = () => fromDist<typeof import('../../src/config.ts')>('config.js');
export const builtTelegramAdapter = () => fromDist<typeof import('../../src/bots/telegram/index.ts')>('bots/telegram/index.js');
export const builtConsoleRender = () => fromDist<typeof import('../../src/bots/console/render.ts')>('bots/console/render.js');
export const builtDiscordAdapter = () => fromDist<typeof import('../../src/bots/discord/index.ts')>('bots/discord/index.js');
