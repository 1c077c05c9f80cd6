// Offline speech out: espeak-ng renders WAV, opusenc turns it into Ogg Opus. Robotic (formant synthesis) but
// free, local and instant; for learners who only need to hear stress and syllables. TTS_PROVIDER=espeak.
import { spawn } from 'node:child_process';
import { SpeechError, type SpeechSynthesizer, type SynthesisRequest } from './provider.ts';

/** Runs a program with `input` on stdin and returns its stdout; rejects on a non-zero exit or a spawn error. */
function run(command: string, args: string[], input: Uint8Array | undefined, signal: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { signal, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(new Uint8Array(Buffer.concat(chunks))) : reject(new Error(`${command} exited with ${code}`))));
    child.stdin.on('error', () => {}); // a program that exits early closes its stdin; the exit code tells
    child.stdin.end(input);
  });
}

export function createEspeakSpeech(voice = 'default'): SpeechSynthesizer {
  return {
    model: 'espeak-ng',
    voice,
    async synthesize(request: SynthesisRequest) {
      try {
        // `--` ends the options: a text starting with "-" is text, not a flag.
        const wav = await run('espeak-ng', ['-v', request.language, '--stdout', '--', request.text], undefined, request.signal);
        return await run('opusenc', ['--quiet', '-', '-'], wav, request.signal);
      } catch (error) {
        if (request.signal.aborted) throw new SpeechError('timeout', 'espeak-ng timed out');
        throw new SpeechError('unavailable', `espeak-ng/opusenc failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
