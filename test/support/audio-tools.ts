// espeak-ng and opusenc make the real Ogg Opus the voice tests speak and hear (test/support/fake-openai/audio.ts,
// TTS_PROVIDER=espeak). Without them those tests skip with this reason in their name; .ci/run installs both.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const TOOLS = [
  ['espeak-ng', 'espeak-ng'],
  ['opusenc', 'opus-tools'],
] as const;

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = TOOLS.filter(([binary]) => !onPath(binary));

/** Why the tests that need espeak-ng and opusenc skip here, or undefined when both are on PATH. */
export const AUDIO_TOOLS_MISSING: string | undefined = missing.length
  ? `${missing.map(([binary]) => binary).join(' and ')} not on PATH (apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}; .ci/run does): skipped`
  : undefined;

/** `title`, with the reason appended when the audio tools are missing. */
export const needingAudioTools = (title: string): string => (AUDIO_TOOLS_MISSING ? `${title} (${AUDIO_TOOLS_MISSING})` : title);
