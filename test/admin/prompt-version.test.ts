// Prompt versions: computed from the template and the schema at run time; stored on the generation and in the
// output's activity-log entry, through the real command path (fake OpenAI server, real SQLite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { promptVersion } from '../../src/core/content/prompt-version.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom } from '../support/incoming.ts';

describe('promptVersion', () => {
  const schema = z.object({ word: z.string() });
  const template = (text: string) => () => [{ role: 'user' as const, content: text }];

  it('is the same for the same template and schema, and changes when either changes', () => {
    const v1 = promptVersion('words', schema, template('make words'));
    expect(v1).toMatch(/^[0-9a-f]{8}$/);
    expect(promptVersion('words', z.object({ word: z.string() }), template('make words'))).toBe(v1);
    expect(promptVersion('words', z.object({ word: z.string() }), template('make more words'))).not.toBe(v1);
    expect(promptVersion('words', z.object({ word: z.string(), note: z.string() }), template('make words'))).not.toBe(v1);
  });
});

describe('a generation records its prompt version', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => t?.close());

  it('in the generation row and in the output entry of the activity log', async () => {
    const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
    await t.frontDoor.text(ana, '/flashcards kitchen words count:3', { addressed: true });
    await t.frontDoor.text(ana, '/exercises kitchen verbs count:2', { addressed: true });
    await t.core.activityLog.flush();
    const generations = await t.prisma.generation.findMany({ orderBy: { id: 'asc' } });
    expect(generations.map((g) => g.contentType)).toEqual(['flashcards', 'exercises']);
    const [cards, exercises] = generations;
    expect(cards!.promptVersion).toMatch(/^[0-9a-f]{8}$/);
    expect(cards!.model).toBe('fake-model');
    // Another template and schema: another version.
    expect(exercises!.promptVersion).toMatch(/^[0-9a-f]{8}$/);
    expect(exercises!.promptVersion).not.toBe(cards!.promptVersion);
    const output = await t.prisma.activityLog.findUniqueOrThrow({ where: { id: cards!.outputLogId! } });
    expect(output.responseMetadata).toMatchObject({ ok: true, promptVersion: cards!.promptVersion });
  });
});
