// Spoken clips kept on disk, one folder per learner: data/voice-cache/<learner id>/<sha-256 of model, voice,
// language, text>.ogg. The same text asked again (also after a restart) costs no provider call. Per learner, not
// shared: a /pronounce text can be the learner's own sentence, and /forget deletes the learner's folder whole.
// Platform file ids are not kept: they differ per platform and bot, the bytes work everywhere.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export function clipKey(parts: { model: string; voice: string; language: string; text: string }): string {
  return createHash('sha256').update(JSON.stringify([parts.model, parts.voice, parts.language, parts.text])).digest('hex');
}

export class ClipCache {
  constructor(private readonly dir: string) {}

  private folder(userId: number): string {
    return join(this.dir, String(userId));
  }

  async get(userId: number, key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.folder(userId), `${key}.ogg`)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Written to a temporary name and renamed, so a reader never sees half a clip. */
  async put(userId: number, key: string, data: Uint8Array): Promise<void> {
    const folder = this.folder(userId);
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `.${randomUUID()}.tmp`);
    await writeFile(temporary, data);
    await rename(temporary, join(folder, `${key}.ogg`));
  }

  /** Removes every clip of a learner (/forget). */
  async forget(userId: number): Promise<void> {
    await rm(this.folder(userId), { recursive: true, force: true });
  }
}
