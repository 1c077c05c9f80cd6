// The whole learning loop through the real front door, as the terminal and the platforms use it:
// real SQLite, the real openai SDK against the fake OpenAI server, the real buffered activity log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { decodeAction } from '../../src/core/actions.ts';

let t: TestCore;
beforeEach(async () => {
  t = await createTestCore();
});
afterEach(async () => {
  await t.close();
});

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
const say = async (text: string, who = ana()) => (await t.frontDoor.text(who, text, { addressed: true })) ?? [];

describe('learning loop', () => {
  it('settings, flashcards, save, rate and the saved list work and land in the seed tables', async () => {
    const settings = await say('/settings lang:Spanish base:en level:beginner');
    expect(replyText(settings)).toContain('Spanish (es)');
    expect(replyText(settings)).toContain('A1');

    const cards = await say('/flashcards kitchen words for my job as a chef count:4');
    expect(cards).toHaveLength(1);
    const card = cards[0]!.blocks[0]!;
    expect(card.kind === 'card' && card.fields.length).toBe(4);
    expect(cards[0]!.rateGenerationId).toBeTypeOf('number');
    const request = t.openai!.requests.at(-1)!;
    expect(request.messages[1]!.content).toContain('Target language: Spanish (es)');
    expect(request.messages[1]!.content).toContain('Level: A1');

    expect(replyText(await say('/save kitchen set'))).toContain('#1');
    expect(replyText(await say('/rate 4'))).toContain('4/5');
    expect(replyText(await say('/rate 5'))).toContain('5/5');
    expect(replyText(await say('/saved'))).toContain('kitchen set');
    expect(replyText(await say('/saved 1'))).toContain('el cuchillo');

    const prisma = t.prisma;
    const user = await prisma.user.findFirstOrThrow({ include: { accounts: true } });
    expect(user).toMatchObject({ defaultTargetLanguage: 'es', defaultBaseLanguage: 'en', level: 'A1' });
    expect(user.accounts[0]).toMatchObject({ platform: 'console', externalId: 'ana' });
    const saved = await prisma.savedContent.findMany();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ contentType: 'flashcards', userLabel: 'kitchen set', originalQuery: 'kitchen words for my job as a chef' });
    // The rating links to the output's log entry once that entry is written (it may still be buffered now).
    await t.core.activityLog.flush();
    const feedback = await prisma.feedback.findMany();
    expect(feedback).toHaveLength(1); // the second rating replaced the first
    expect(feedback[0]!.rating).toBe(5);
    expect(feedback[0]!.relatedLogId).not.toBeNull();
    const logged = await prisma.activityLog.findUniqueOrThrow({ where: { id: feedback[0]!.relatedLogId! } });
    expect(logged).toMatchObject({ direction: 'output', contentType: 'flashcards', queryText: 'kitchen words for my job as a chef' });
  });

  it('exercises are answered one question at a time through their buttons', async () => {
    const replies = await say('/exercises cooking verbs count:2');
    expect(replies).toHaveLength(2);
    const question = replies[1]!;
    const buttons = question.buttons!.flat();
    const payloads = buttons.map((b) => decodeAction(b.data)!);
    expect(payloads.every((p) => p.kind === 'answer')).toBe(true);
    const first = await t.frontDoor.action(ana(), buttons[0]!.data); // the right answer comes first in the fake
    expect(replyText(first)).toContain('✅');
    expect(first[0]!.replaceOrigin).toBe(true);
    const next = first[1]!;
    const wrong = next.buttons!.flat()[1]!;
    const second = await t.frontDoor.action(ana(), wrong.data);
    expect(replyText(second)).toContain('❌');
    expect(replyText(second)).toContain('1 of 2');
    const attempts = await t.prisma.exerciseAttempt.findMany({ orderBy: { id: 'asc' } });
    expect(attempts.map((a) => a.correct)).toEqual([true, false]);
  });

  it('another learner cannot answer my questions', async () => {
    const replies = await say('/exercises cooking verbs count:1');
    const button = replies[1]!.buttons!.flat()[0]!;
    const other = incomingFrom(t.logger, { id: 'ben', name: 'Ben' }, { id: 'chat-ana' });
    const answer = await t.frontDoor.action(other, button.data);
    expect(replyText(answer)).toContain('belong to Ana');
    expect(answer[0]!.ephemeral).toBe(true);
    expect(await t.prisma.exerciseAttempt.count()).toBe(0);
  });

  it('a three-turn simulation with two learners ends with a per-learner summary', async () => {
    const group = { id: 'group-1', isGroup: true };
    const a = incomingFrom(t.logger, { id: 'ana', name: 'Ana' }, group);
    const b = incomingFrom(t.logger, { id: 'ben', name: 'Ben' }, group);
    const start = await say('/simulate ordering bread at a bakery', a);
    expect(start[0]!.openThread).toBeDefined();
    const sessionId = start[0]!.simulationSessionId!;
    // Not addressed in a group: ignored.
    expect(await t.frontDoor.text(b, 'hola a todos', { addressed: false })).toBeNull();
    expect(replyText(await t.frontDoor.text(a, 'Hola, quiero pan', { addressed: true }))).toContain('Muy bien, Ana');
    expect(replyText(await t.frontDoor.text(b, 'Yo también quiero pan', { addressed: true }))).toContain('Muy bien, Ben');
    expect(replyText(await t.frontDoor.text(a, 'Gracias', { addressed: true }))).toContain('Ana');
    const end = await say('/end', a);
    expect(end[0]!.closeThread).toBe(true);
    const summary = replyText(end);
    expect(summary).toContain('Ana: 2 messages');
    expect(summary).toContain('Ben: 1 message');
    expect(summary).toContain('quiero un pan');

    const session = await t.prisma.simulationSession.findUniqueOrThrow({ where: { id: sessionId }, include: { participants: true, turns: true } });
    expect(session.status).toBe('ended');
    expect(session.participants.map((p) => p.displayName).sort()).toEqual(['Ana', 'Ben']);
    expect(session.turns).toHaveLength(7); // opening + 3 learner + 3 tutor
    expect(await t.prisma.simulation.count()).toBe(1);
    // After /end, plain text is not a turn any more.
    expect(await t.frontDoor.text(a, 'hola?', { addressed: true })).toBeNull();
  });

  it('corrections can be switched off', async () => {
    await say('/settings corrections:off');
    await say('/simulate at the bakery');
    const reply = replyText(await say('quiero pan'));
    expect(reply).not.toContain('Corrections');
    expect(t.openai!.requests.at(-1)!.messages[1]!.content).toContain('Corrections are switched off');
  });

  it('a three-lesson curriculum: plan, lesson content and progress', async () => {
    const plan = await say('/curriculum working in a restaurant lessons:3');
    expect(replyText(plan)).toContain('Lesson 3');
    expect(replyText(await say('/lesson 1 flashcards'))).toContain('el cuchillo');
    const ex = await say('/lesson 2 exercises');
    expect(ex[1]!.buttons!.flat().length).toBeGreaterThan(1);
    const sim = await say('/lesson 3 simulation');
    expect(sim[0]!.simulationSessionId).toBeTypeOf('number');
    await say('/end');
    for (const n of [1, 2, 3]) await say(`/lesson ${n} done`);
    const curriculum = await t.prisma.curriculum.findFirstOrThrow({ include: { lessons: { include: { flashcards: true, exercises: true, simulations: true } } } });
    expect(curriculum.status).toBe('completed');
    expect(curriculum.lessons.map((l) => l.status)).toEqual(['completed', 'completed', 'completed']);
    expect(curriculum.lessons[0]!.flashcards.length).toBe(8);
    expect(curriculum.lessons[1]!.exercises.length).toBeGreaterThan(0);
    expect(curriculum.lessons[2]!.simulations.length).toBe(1);
    expect(replyText(await say('/curriculum'))).toContain('3/3');
  });

  it('every generation leaves an input and an output entry in activity_log once the core stops', async () => {
    await say('/flashcards colours');
    await say('/exercises colours count:1');
    await say('/simulate buying paint');
    await say('quiero pintura azul');
    await say('/end');
    await t.core.stop();
    const reopened = await createTestCore({ database: { url: t.core.config.DATABASE_URL!, drop: async () => {} } });
    try {
      const rows = await reopened.prisma.activityLog.findMany({ orderBy: { timestamp: 'asc' } });
      const kinds = rows.map((r) => `${r.contentType}:${r.direction}`);
      expect(kinds.sort()).toEqual(
        [
          'flashcards:input', 'flashcards:output', 'exercises:input', 'exercises:output',
          'simulation:input', 'simulation:output', 'simulation_turn:input', 'simulation_turn:output',
        ].sort(),
      );
      const output = rows.find((r) => r.contentType === 'flashcards' && r.direction === 'output')!;
      expect(output.responseMetadata).toMatchObject({ ok: true, model: 'fake-model', platform: 'console' });
      expect((output.responseMetadata as { promptTokens: number }).promptTokens).toBeGreaterThan(0);
      expect(output.targetLanguage).toBe('es');
    } finally {
      await reopened.close();
    }
  });
});
