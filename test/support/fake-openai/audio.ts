// Real speech for the fake OpenAI server and for tests: espeak-ng renders the text, opusenc makes it Ogg Opus
// (the format of Telegram and Discord voice notes). Both come from Debian (espeak-ng, opus-tools; .ci/run installs
// them). Every clip made here is remembered with its text, so the fake's /audio/transcriptions can "hear" it:
// a test speaks a Spanish sentence into a file, sends it as a voice message, and gets that sentence back.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

const spokenTexts = new Map<string, string>();
const clips = new Map<string, Uint8Array>();

const digest = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** `text` spoken in `language` by espeak-ng, as Ogg Opus bytes (cached per text and language). */
export function spokenOgg(text: string, language = 'es'): Uint8Array {
  const key = `${language}\u0000${text}`;
  const known = clips.get(key);
  if (known) return known;
  const wav = execFileSync('espeak-ng', ['-v', language, '--stdout', '--', text], { maxBuffer: 64 * 1024 * 1024 });
  const ogg = new Uint8Array(execFileSync('opusenc', ['--quiet', '-', '-'], { input: wav, maxBuffer: 64 * 1024 * 1024 }));
  clips.set(key, ogg);
  spokenTexts.set(digest(ogg), text);
  return ogg;
}

/** The text of a clip spokenOgg made, if these are its bytes. */
export function textOfClip(data: Uint8Array): string | undefined {
  return spokenTexts.get(digest(data));
}
