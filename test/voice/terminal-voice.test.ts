// The first "Done when", as a learner does it: `npm run chat` (the built process reading stdin) against the
// fake OpenAI server with the audio routes. /pronounce prints the path of an Ogg Opus file, the same again makes no
// second speech request; in a role-play /voice file:<spoken Spanish .ogg> shows "I heard: …" and the tutor answers;
// /end lists the corrections of that spoken turn; the activity log has the pronunciation and transcription rows.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOggOpus } from '../../src/core/audio/ogg-opus.ts';
import { AUDIO_TOOLS_MISSING, needingAudioTools } from '../support/audio-tools.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { spokenOgg } from '../support/fake-openai/audio.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { activityRows, spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { tutorContent } from '../support/tutor-responder.ts';

const SPOKEN = 'Buenos días, quiero pan y dos cruasanes.';

let openai: FakeOpenAI;
let db: TestDatabase;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  openai.respondWith((req) => {
    if (req.schemaName !== 'simulation_turn') return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
    // A correction only for the spoken sentence: /end listing it proves the transcript was the turn.
    const spoken = req.messages.some((m) => m.content.includes(SPOKEN));
    return {
      reply: 'Muy bien. Aquí tiene, son tres euros.',
      corrections: spoken ? [{ original: 'dos cruasanes', corrected: 'dos cruasanes, por favor', explanation: 'Be polite.' }] : [],
      newWords: [],
    };
  });
  db = sqliteTestDatabase();
});
afterAll(async () => {
  await openai.close();
  await db.drop();
});

/** Waits until the terminal shows `count` matches of `pattern` (a person reading the screen before typing on). */
async function untilSeen(child: TutorProcess, pattern: RegExp, count = 1): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const matches = [...child.stdoutText().matchAll(new RegExp(pattern.source, 'gm'))].map((m) => m[1] ?? m[0]);
    if (matches.length >= count) return matches;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${child.stdoutText()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(AUDIO_TOOLS_MISSING)(needingAudioTools('voice in the terminal (npm run chat)'), () => {
  it('/pronounce writes an Ogg Opus file once; a spoken turn is heard, answered and corrected', async () => {
    const recording = join(mkdtempSync(join(tmpdir(), 'voice-note-')), 'spoken.ogg');
    writeFileSync(recording, spokenOgg(SPOKEN, 'es'));
    const child = spawnTutor(['--chat'], {
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'test-key',
      USER_CALLS_PER_MINUTE: '100',
      VOICE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'voice-cache-')),
    });
    try {
      await untilSeen(child, /Language tutor ready/);
      child.stdin.write('/pronounce la cebolla lang:es\n');
      const [first] = await untilSeen(child, /^Voice note written: (.+) \(\d+ s\)$/);
      expect(isOggOpus(readFileSync(first!))).toBe(true);
      const speech = () => openai.audioRequests.filter((r) => r.route === 'speech').length;
      expect(speech()).toBe(1);

      child.stdin.write('/pronounce la cebolla lang:es\n');
      const paths = await untilSeen(child, /^Voice note written: (.+) \(\d+ s\)$/, 2);
      expect(isOggOpus(readFileSync(paths[1]!))).toBe(true);
      expect(speech()).toBe(1);

      child.stdin.write('/simulate ordering at a bakery\n');
      await untilSeen(child, /Role-play: /);
      child.stdin.write(`/voice file:${recording}\n`);
      await untilSeen(child, new RegExp(`🎙 I heard: ${SPOKEN.replace(/[.?]/g, '\\$&')}`));
      await untilSeen(child, /Muy bien\. Aquí tiene, son tres euros\./);
      child.stdin.write('/end\n');
      await untilSeen(child, /dos cruasanes → dos cruasanes, por favor/);
      child.stdin.end();
      expect((await child.exited).code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    const rows = await activityRows(db.url);
    const of = (type: string, direction: string) => rows.filter((r) => r.contentType === type && r.direction === direction);
    expect(of('pronunciation', 'output').map((r) => r.queryText)).toEqual(['la cebolla', 'la cebolla']);
    expect(of('transcription', 'output').map((r) => r.queryText)).toEqual([SPOKEN]);
    expect(of('simulation_turn', 'input').map((r) => r.queryText)).toEqual([SPOKEN]);
  }, 120_000);
});
