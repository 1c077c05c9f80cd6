// Real speech as Ogg Opus for tests: espeak-ng speaks the text into a WAV file, opusenc encodes it (as a
// phone's voice recorder would). Cached per text and voice for the test run.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cache = new Map<string, Promise<Buffer>>();

export function spokenOgg(text: string, voice = 'es'): Promise<Buffer> {
  const key = `${voice}\u0000${text}`;
  let clip = cache.get(key);
  if (!clip) {
    clip = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'spoken-'));
      await run('espeak-ng', ['-v', voice, '-w', join(dir, 'speech.wav'), text]);
      await run('opusenc', ['--quiet', join(dir, 'speech.wav'), join(dir, 'speech.ogg')]);
      return readFile(join(dir, 'speech.ogg'));
    })();
    cache.set(key, clip);
  }
  return clip;
}
