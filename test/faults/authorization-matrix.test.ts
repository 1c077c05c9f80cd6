// The authorization matrix: every action and every command that takes an item, run through EACH adapter — the
// terminal (`node dist/main.js --chat`, a child process), Telegram (the fake Bot API) and Discord (the fake
// gateway) — once naming something of another learner's ("not yours") and once naming something that does not
// exist. Both must get the very same answer (the text compared as it is: nothing in it may differ) and change
// no row. One table of cases, run per adapter, each adapter on a fresh database (SQLite, and PostgreSQL when
// TEST_POSTGRES_URL is set).
//
// How "does not exist" is made: every "missing" probe runs FIRST, while the attacker is alone in the database;
// then another learner (Ana) gets 3 saved items, review cards, a course, private flashcards, answered exercises,
// a running role-play, a used and a replaced link code and a link undo; then every "not yours" probe runs. For
// per-learner numbers (/saved 3, /delete 3, /lesson 1) both probes are the same line: "your item 3" answers
// alike whether or not somebody else has 3 items. For ids the bot hands out (generations, cards, role-plays,
// learners, undo records, link codes) the "missing" probe names an id that was never handed out.
//
// The terminal takes a button only as the number of a choice it has shown, so a forged payload cannot be typed
// there: the terminal runs the command cases, and the report says how many action cases it could not take.
//
// Ana is created through the core on the same database (the terminal has one learner, the OS user). Her link
// code is made by her Telegram account, so the link notice is for Telegram and never shown by the terminal.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type ActionPayload } from '../../src/core/actions.ts';
import type { Incoming } from '../../src/commands/front-door.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS, type TestDatabase } from '../support/databases.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { startHarness as startDiscord } from '../discord/helpers/harness.ts';
import type { FakeInteraction, FakeMessage } from '../support/fake-discord/index.ts';
import { message, recordUnhandledRejections, until } from './helpers.ts';

const unhandled = recordUnhandledRejections();

/** The level number a "missing" level proposal names (B1: what a learner at the default A2 is offered). */
const v0Level = 3;
/** An id no table ever reaches in these tests. */
const MISSING = 987_654;
/** In every one of Ana's topics: no answer to the attacker, no file they get, may contain it. */
const MARKER = 'zebrasecret';

/** A command: its text form (terminal, Telegram) and its slash form (Discord). */
type CommandProbe = { text: string; slash: { name: string; options?: Record<string, string | number> } };
type Probe = CommandProbe | { action: ActionPayload };

/** What another learner has, for the "not yours" probes. */
interface Victim {
  userId: number;
  generationId: number;
  exercisesId: number;
  sessionId: number;
  cardId: number;
  undoId: number;
  replacedCode: string;
  usedCode: string;
  /** The CEFR level number (1 = A1) proposed to her after 20 right answers: her Switch button. */
  proposedLevel: number;
}

interface Case {
  name: string;
  theirs: (v: Victim) => Probe;
  missing: Probe;
  /** The refusal both must be (the same on every adapter, but for Save: see below). */
  expected: RegExp;
}

const cmd = (text: string, name: string, options?: Record<string, string | number>): CommandProbe => ({ text, slash: { name, ...(options ? { options } : {}) } });
const act = (action: ActionPayload): Probe => ({ action });

const NOT_AVAILABLE = message('errors.notAvailable');
/** Telegram answers a forged Save button itself; Discord's Save opens a modal whose submission is /save generation:N. */
const SAVE_REFUSED = new RegExp(`${NOT_AVAILABLE.source}|${message('errors.nothingToSave').source}`);

const CASES: Case[] = [
  // Commands that take an item (a number of one's own, or an id).
  { name: '/saved N', expected: message('errors.savedNotFound'), theirs: () => cmd('/saved 3', 'saved', { item: 3 }), missing: cmd('/saved 3', 'saved', { item: 3 }) },
  { name: '/delete N', expected: message('errors.savedNotFound'), theirs: () => cmd('/delete 3', 'delete', { item: 3 }), missing: cmd('/delete 3', 'delete', { item: 3 }) },
  { name: '/saved (the list)', expected: message('saved.empty'), theirs: () => cmd('/saved', 'saved'), missing: cmd('/saved', 'saved') },
  { name: '/lesson N', expected: message('errors.noCurriculum'), theirs: () => cmd('/lesson 1', 'lesson', { number: 1 }), missing: cmd('/lesson 1', 'lesson', { number: 1 }) },
  { name: '/lesson N done', expected: message('errors.noCurriculum'), theirs: () => cmd('/lesson 1 done', 'lesson', { number: 1, part: 'done' }), missing: cmd('/lesson 1 done', 'lesson', { number: 1, part: 'done' }) },
  { name: '/curriculum course:N', expected: message('curriculum.empty'), theirs: () => cmd('/curriculum course:1', 'curriculum', { course: 1 }), missing: cmd('/curriculum course:1', 'curriculum', { course: 1 }) },
  { name: '/review (the deck)', expected: message('review.emptyDeck'), theirs: () => cmd('/review', 'review'), missing: cmd('/review', 'review') },
  {
    name: '/save generation:N',
    expected: message('errors.nothingToSave'),
    theirs: (v) => cmd(`/save generation:${v.generationId}`, 'save', { generation: v.generationId }),
    missing: cmd(`/save generation:${MISSING}`, 'save', { generation: MISSING }),
  },
  { name: '/end (the role-play)', expected: message('errors.noSimulation'), theirs: () => cmd('/end', 'end'), missing: cmd('/end', 'end') },
  { name: '/export', expected: message('data.export.empty'), theirs: () => cmd('/export', 'export'), missing: cmd('/export', 'export') },
  { name: '/mydata', expected: message('data.mydata.ready'), theirs: () => cmd('/mydata', 'mydata'), missing: cmd('/mydata', 'mydata') },
  { name: '/link CODE (a replaced code)', expected: message('loop.linkUnknownCode'), theirs: (v) => cmd(`/link ${v.replacedCode}`, 'link', { code: v.replacedCode }), missing: cmd('/link ABCD2345', 'link', { code: 'ABCD2345' }) },
  { name: '/link CODE (a used code)', expected: message('loop.linkUnknownCode'), theirs: (v) => cmd(`/link ${v.usedCode}`, 'link', { code: v.usedCode }), missing: cmd('/link WXYZ6789', 'link', { code: 'WXYZ6789' }) },
  // Every action (button payload), forged.
  { name: 'rate', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'rate', generationId: v.generationId, rating: 5 }), missing: act({ kind: 'rate', generationId: MISSING, rating: 5 }) },
  { name: 'save', expected: SAVE_REFUSED, theirs: (v) => act({ kind: 'save', generationId: v.generationId }), missing: act({ kind: 'save', generationId: MISSING }) },
  { name: 'reveal', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'reveal', generationId: v.generationId, card: 0 }), missing: act({ kind: 'reveal', generationId: MISSING, card: 0 }) },
  {
    name: 'answer (her exercise)',
    expected: NOT_AVAILABLE,
    theirs: (v) => act({ kind: 'answer', generationId: v.exercisesId, question: 1, choice: 0, owner: v.userId }),
    missing: act({ kind: 'answer', generationId: MISSING, question: 1, choice: 0, owner: MISSING }),
  },
  {
    name: 'answer (owner rewritten to anyone)',
    expected: NOT_AVAILABLE,
    theirs: (v) => act({ kind: 'answer', generationId: v.exercisesId, question: 1, choice: 0, owner: 0 }),
    missing: act({ kind: 'answer', generationId: MISSING, question: 1, choice: 0, owner: 0 }),
  },
  {
    name: 'question (next question)',
    expected: NOT_AVAILABLE,
    theirs: (v) => act({ kind: 'question', generationId: v.exercisesId, question: 1, owner: v.userId }),
    missing: act({ kind: 'question', generationId: MISSING, question: 1, owner: MISSING }),
  },
  { name: 'card (add a question to the deck)', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'card', generationId: v.exercisesId, question: 0 }), missing: act({ kind: 'card', generationId: MISSING, question: 0 }) },
  { name: 'end (the End button)', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'end', sessionId: v.sessionId }), missing: act({ kind: 'end', sessionId: MISSING }) },
  { name: 'flip (review card)', expected: message('errors.cardNotFound'), theirs: (v) => act({ kind: 'flip', cardId: v.cardId }), missing: act({ kind: 'flip', cardId: MISSING }) },
  { name: 'grade (review card)', expected: message('errors.cardNotFound'), theirs: (v) => act({ kind: 'grade', cardId: v.cardId, grade: 4 }), missing: act({ kind: 'grade', cardId: MISSING, grade: 4 }) },
  { name: 'forget (the confirmation)', expected: message('data.forget.notYours'), theirs: (v) => act({ kind: 'forget', userId: v.userId }), missing: act({ kind: 'forget', userId: MISSING }) },
  { name: 'level (accept a proposed level)', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'level', userId: v.userId, level: v.proposedLevel }), missing: act({ kind: 'level', userId: MISSING, level: v0Level }) },
  { name: 'unlink (the Undo button)', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'unlink', undoId: v.undoId }), missing: act({ kind: 'unlink', undoId: MISSING }) },
  { name: 'listen (🔊 under her flashcard)', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'listen', generationId: v.generationId, card: 0 }), missing: act({ kind: 'listen', generationId: MISSING, card: 0 }) },
  { name: 'hear (🔊 under her role-play line)', expected: NOT_AVAILABLE, theirs: (v) => act({ kind: 'hear', sessionId: v.sessionId, seq: 1 }), missing: act({ kind: 'hear', sessionId: MISSING, seq: 1 }) },
];

/** One adapter as the attacker uses it: `send` returns everything the attacker is shown in answer. */
interface Attacker {
  /** Undefined: the adapter cannot take this probe at all (say why in `cannot`). */
  send(probe: Probe): Promise<string | undefined>;
  /** Why probes of a kind cannot be sent, for the report. */
  cannot?: string;
  /** Files the attacker received so far (their text), to check none holds Ana's things. */
  files(): string[];
  /**
   * Probes whose answer grew after it was taken (a second message that came late), read again once the positive
   * control at the end has been answered. Adapters that read up to an end mark (terminal, Telegram) need none.
   */
  late?(): string[];
  close(): Promise<void>;
}

/** Row counts of every table (and the rows a refusal could alter), except the activity log and link guesses. */
async function snapshot(t: TestCore) {
  const p = t.prisma;
  await t.core.activityLog.flush();
  const counts = {
    users: await p.user.count(),
    accounts: await p.platformAccount.count(),
    generations: await p.generation.count(),
    flashcards: await p.flashcard.count(),
    exercises: await p.exercise.count(),
    simulations: await p.simulation.count(),
    participants: await p.simulationParticipant.count(),
    turns: await p.simulationTurn.count(),
    usage: await p.dailyUsage.count(),
    attempts: await p.exerciseAttempt.count(),
    messages: await p.platformMessage.count(),
    reviews: await p.reviewLog.count(),
    curricula: await p.curriculum.count(),
  };
  return {
    counts,
    saved: await p.savedContent.findMany({ orderBy: { id: 'asc' } }),
    feedback: await p.feedback.findMany({ orderBy: { id: 'asc' } }),
    cards: await p.reviewCard.findMany({ orderBy: { id: 'asc' } }),
    sessions: await p.simulationSession.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, conversationKey: true } }),
    lessons: await p.lesson.findMany({ orderBy: { id: 'asc' } }),
    codes: await p.linkCode.findMany({ orderBy: { code: 'asc' } }),
    undos: await p.linkUndo.findMany({ orderBy: { id: 'asc' } }),
  };
}

/** Ana's things, made through the core on the attacker's database. */
async function makeVictim(t: TestCore): Promise<Victim> {
  const fd = t.frontDoor;
  const say = async (who: Incoming, text: string) => {
    const replies = await fd.text(who, text, { addressed: true });
    return { replies, text: replyText(replies) };
  };
  const payloads = (replies: Awaited<ReturnType<typeof fd.text>>) => (replies ?? []).flatMap((r) => (r.buttons ?? []).flat().map((b) => decodeAction(b.data)));
  const anaTelegram = incomingFrom(t.logger, { id: 'ana-tg', name: 'Ana' }, { platform: 'telegram', id: 'ana-tg-chat' });
  const anaHome = incomingFrom(t.logger, { id: 'victim-ana', name: 'Ana' });
  const code = (text: string) => /\b([A-HJ-NP-Z2-9]{8})\b/.exec(text)![1]!;
  // Her Telegram account makes a code, then another (the first is replaced); her terminal account redeems the second.
  const replacedCode = code((await say(anaTelegram, '/link')).text);
  const usedCode = code((await say(anaTelegram, '/link')).text);
  await say(anaHome, '/start');
  expect((await say(anaHome, `/link ${usedCode}`)).text).toMatch(message('loop.linkDone'));
  let generationId = 0;
  for (const topic of ['garden', 'kitchen', 'harbour']) {
    const cards = await say(anaHome, `/flashcards ${MARKER} ${topic} count:2`);
    generationId = (payloads(cards.replies).find((a) => a?.kind === 'save') as { generationId: number }).generationId;
    expect((await say(anaHome, '/save')).text).toMatch(/Saved as #\d/);
  }
  const exercises = await say(anaHome, `/exercises ${MARKER} verbs count:2`);
  const answer = payloads(exercises.replies).find((a) => a?.kind === 'answer') as Extract<ActionPayload, { kind: 'answer' }>;
  await fd.action(anaHome, encodeAction(answer)); // she answered question 0: her "add to deck" works for her
  // She answers 20 more questions right at her level: a level change is proposed to her, with its button.
  let proposal: Extract<ActionPayload, { kind: 'level' }> | undefined;
  for (let set = 0; set < 2; set++) {
    let replies = (await say(anaHome, `/exercises ${MARKER} level count:10`)).replies;
    for (let q = 0; q < 10; q++) {
      const right = payloads(replies).find((a) => a?.kind === 'answer' && a.question === q && a.choice === 0)!;
      replies = await fd.action(anaHome, encodeAction(right)); // the fake puts the right answer first
    }
    proposal ??= payloads(replies).find((a) => a?.kind === 'level') as Extract<ActionPayload, { kind: 'level' }> | undefined;
  }
  expect(proposal).toBeDefined();
  const course = await say(anaHome, `/curriculum ${MARKER} trip lessons:2`);
  expect(course.text).not.toMatch(message('errors.internal'));
  const scenario = await say(anaHome, `/simulate ${MARKER} bakery`);
  const end = payloads(scenario.replies).find((a) => a?.kind === 'end') as { sessionId: number };
  const userId = (await t.prisma.platformAccount.findFirstOrThrow({ where: { externalId: 'victim-ana' } })).userId;
  expect((await t.prisma.savedContent.findMany({ where: { userId } })).map((s) => s.number)).toEqual([1, 2, 3]);
  expect(await t.prisma.curriculum.count({ where: { userId } })).toBe(1);
  const card = await t.prisma.reviewCard.findFirstOrThrow({ where: { userId } });
  const undo = await t.prisma.linkUndo.findFirstOrThrow();
  return { userId, generationId, exercisesId: answer.generationId, sessionId: end.sessionId, cardId: card.id, undoId: undo.id, replacedCode, usedCode, proposedLevel: proposal!.level };
}

// ─── the adapters ────────────────────────────────────────────────────────────────────────────────────────────

async function terminalAttacker(t: TestCore, database: TestDatabase): Promise<Attacker> {
  const child: TutorProcess = spawnTutor(['--chat'], {
    DATABASE_URL: database.url,
    OPENAI_BASE_URL: t.openai!.url,
    OPENAI_API_KEY: 'test-key-authorization',
    USER_CALLS_PER_MINUTE: '10000',
    LANG: 'en_US.UTF-8',
  });
  await until(() => child.stdoutText().includes('Language tutor ready') || child.exitCode !== null, 30_000, 'the terminal to start');
  if (child.exitCode !== null) throw new Error(`the terminal exited at start: ${child.stderrText()}`);
  let marks = 0;
  const files: string[] = [];
  /** Types `line`, then an unknown command as an end mark (lines are answered in order): the answer is what came between. */
  const type = async (line: string) => {
    const mark = `endmark${++marks}`;
    const from = child.stdoutText().length;
    child.stdin.write(`${line}\n/${mark}\n`);
    await until(() => child.stdoutText().slice(from).includes(`/${mark}`), 30_000, `the answer to ${line}`);
    const out = child.stdoutText().slice(from);
    const answer = out.slice(0, out.lastIndexOf('…')).split('\n').filter((l) => l.trim() !== '…').join('\n').trim();
    for (const path of answer.matchAll(/(\/\S+\.(?:json|txt))/g)) files.push(readFileSync(path[1]!, 'utf8'));
    return answer;
  };
  await type('/start');
  return {
    send: async (probe) => ('action' in probe ? undefined : type(probe.text)),
    cannot: 'a forged payload cannot be typed in the terminal (a button is only the number of a choice it has shown)',
    files: () => files,
    async close() {
      child.stdin.end();
      expect((await child.exited).code).toBe(0);
    },
  };
}

async function telegramAttacker(t: TestCore): Promise<Attacker> {
  const { fake } = await startTelegram(t.frontDoor);
  const ben = fake.user({ first_name: 'Ben', language_code: 'en' });
  const dm = fake.privateChat(ben);
  let marks = 0;
  const files: string[] = [];
  fake.sendText(dm, ben, '/start');
  await fake.waitUntil(() => fake.botMessages(dm).length > 0, 15_000, 'the answer to /start');
  const own = fake.botMessages(dm)[0]!.message_id;
  return {
    async send(probe) {
      const before = fake.botMessages(dm).length;
      const ownBefore = JSON.stringify(fake.botMessages(dm).find((m) => m.message_id === own));
      let toast = '';
      if ('action' in probe) {
        // A callback_query Ben's client never got: forged data on one of his own messages.
        const query = `forged-${Math.random().toString(36).slice(2)}`;
        fake.world.callbackQueries.set(query, { answered: false });
        const stored = fake.chatState(dm).messages.get(own)!;
        fake.pushUpdate({ callback_query: { id: query, from: ben, chat_instance: String(dm.id), data: encodeAction(probe.action), message: structuredClone(stored.message) } });
        await fake.waitUntil(() => fake.callbackAnswer(query).answered, 15_000, 'the callback answer');
        toast = fake.callbackAnswer(query).text ?? '';
      } else {
        fake.sendText(dm, ben, probe.text);
        await fake.waitUntil(() => fake.botMessages(dm).length > before, 15_000, `the answer to ${probe.text}`);
      }
      // An end mark: whatever else the probe sends comes before the answer to it.
      const mark = `endmark${++marks}`;
      fake.sendText(dm, ben, `/${mark}`);
      await fake.waitUntil(() => fake.botMessages(dm).slice(before).some((m) => m.text.includes(mark)), 15_000, 'the end mark');
      const shown = fake.botMessages(dm).slice(before).filter((m) => !m.text.includes(mark));
      // A button's answer may also be an edit of the message it is on (replaceOrigin).
      const ownNow = fake.botMessages(dm).find((m) => m.message_id === own)!;
      if (JSON.stringify(ownNow) !== ownBefore) shown.unshift(ownNow);
      for (const m of shown) if (m.document) files.push(m.document.bytes.toString('utf8'));
      return [toast, ...shown.map((m) => [m.text, m.document?.filename ?? ''].join('\n'))].join('\n').trim();
    },
    files: () => files,
    async close() {
      expect(fake.failedCalls()).toEqual([]);
    },
  };
}

async function discordAttacker(t: TestCore): Promise<Attacker> {
  const h = await startDiscord({ frontDoor: t.frontDoor, logger: t.logger });
  const { fake, bob } = h;
  const answersOf = (i: FakeInteraction) => [...fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
  const textOf = (messages: FakeMessage[]) =>
    messages.map((m) => [m.content, ...m.embeds.map((e) => JSON.stringify(e)), ...m.attachments.map((a) => JSON.stringify((a as { filename?: string }).filename ?? ''))].join('\n')).join('\n');
  // Discord handles interactions concurrently, so there is no end mark: each answer is taken when it comes, and
  // read again after the positive control at the end (late()), which catches any second message that followed.
  const taken: Array<{ id: string; text: string; again: () => string }> = [];
  const take = (id: string, again: () => string) => {
    const text = again();
    taken.push({ id, text, again });
    return text;
  };
  const answer = async (i: FakeInteraction) => {
    await fake.waitFor(() => answersOf(i).length >= 1, 15_000, `the answer to ${i.id}`);
    return take(i.id, () => textOf(answersOf(i)).trim());
  };
  const start = fake.slashCommand({ name: 'start', user: bob, dm: true });
  await answer(start);
  const own = answersOf(start)[0]!;
  return {
    async send(probe) {
      if ('action' in probe && probe.action.kind === 'save') {
        // On Discord "Save" opens a modal (label, notes); its submission is the save. The modal's custom_id carries
        // the id Bob forged back to him; what he is shown is its title, then the answer to the submission.
        const press = fake.pressButton({ message: own, customId: encodeAction(probe.action), user: bob });
        const modal = (await fake.waitFor(() => press.modal, 15_000, 'the save modal')) as { custom_id: string; title: string };
        return `${modal.title}\n${await answer(fake.submitModal({ customId: modal.custom_id, fields: { label: '', notes: '' }, user: bob, message: own }))}`;
      }
      if ('action' in probe) {
        // A button's answer is a follow-up, or an edit of the message the button is on (replaceOrigin).
        const current = () => fake.world.messages.get(own.id)!;
        const editedAt = current().editedAt;
        const press = fake.pressButton({ message: own, customId: encodeAction(probe.action), user: bob });
        await fake.waitFor(() => answersOf(press).length >= 1 || current().editedAt !== editedAt, 15_000, `the answer to ${press.id}`);
        // The edit as it stands now (later probes edit the same message again); the messages answering this
        // press are read again later.
        const editText = current().editedAt !== editedAt ? textOf([current()]) : '';
        return take(press.id, () => [textOf(answersOf(press)), editText].filter((part) => part !== '').join('\n').trim());
      }
      return answer(fake.slashCommand({ name: probe.slash.name, ...(probe.slash.options ? { options: probe.slash.options } : {}), user: bob, dm: true }));
    },
    late: () => taken.filter((a) => a.again() !== a.text).map((a) => `${a.id}: ${JSON.stringify(a.text)} became ${JSON.stringify(a.again())}`),
    files: () => [],
    async close() {
      expect(fake.rejected()).toEqual([]);
      await h.close();
    },
  };
}

const ADAPTERS: Array<{ name: string; attacker: (t: TestCore, db: TestDatabase) => Promise<Attacker> }> = [
  { name: 'terminal', attacker: terminalAttacker },
  { name: 'telegram', attacker: (t) => telegramAttacker(t) },
  { name: 'discord', attacker: (t) => discordAttacker(t) },
];

describe.each(PROVIDERS)('authorization matrix on $name', ({ name: provider, create, skip }) => {
  describe.each(ADAPTERS)('$name', ({ name: adapter, attacker: makeAttacker }) => {
    let database: TestDatabase;
    let t: TestCore;
    beforeAll(async () => {
      if (skip) return;
      database = await create();
      t = await createTestCore({ database, env: { USER_CALLS_PER_MINUTE: '10000' } });
    });
    afterAll(async () => {
      if (skip) return;
      await t.close();
      await database.drop();
    });

    it.skipIf(Boolean(skip))(`${skip ?? `every action and item-taking command: "not yours" answered exactly like "does not exist", nothing changed (${adapter}, ${provider})`}`, async () => {
      const attacker = await makeAttacker(t, database);
      try {
        // 1. Alone in the database: every "does not exist".
        const missing = new Map<string, string>();
        let before = await snapshot(t);
        for (const c of CASES) {
          const answer = await attacker.send(c.missing).catch((error: Error) => Promise.reject(new Error(`${c.name}: ${error.message}`)));
          if (answer !== undefined) missing.set(c.name, answer);
        }
        expect(await snapshot(t)).toEqual(before);

        // 2. Ana arrives with everything; every "not yours".
        const victim = await makeVictim(t);
        before = await snapshot(t);
        const differing: Array<{ case: string; missing: string; theirs: string }> = [];
        let tried = 0;
        let refusedAlike = 0;
        for (const c of CASES) {
          const theirs = await attacker.send(c.theirs(victim)).catch((error: Error) => Promise.reject(new Error(`${c.name}: ${error.message}`)));
          if (theirs === undefined) continue;
          tried += 1;
          const none = missing.get(c.name)!;
          expect(theirs, c.name).not.toBe('');
          expect(theirs.toLowerCase(), c.name).not.toContain(MARKER);
          expect(theirs, c.name).not.toMatch(message('errors.internal'));
          expect(theirs, c.name).toMatch(c.expected);
          if (theirs === none) refusedAlike += 1;
          else differing.push({ case: c.name, missing: none, theirs });
        }
        expect(await snapshot(t)).toEqual(before);
        expect(differing).toEqual([]);
        for (const file of attacker.files()) expect(file.toLowerCase()).not.toContain(MARKER);
        const untaken = CASES.length - tried;
        console.info(
          `[authorization] ${adapter} (${provider}): ${tried} actions tried, ${refusedAlike} refused identically` +
            (untaken > 0 ? `; ${untaken} not tried: ${attacker.cannot}` : ''),
        );
        expect(tried).toBe(adapter === 'terminal' ? CASES.filter((c) => !('action' in c.missing)).length : CASES.length);

        // Positive control: the attacker's own item by number, through the same adapter and path.
        const own = await attacker.send(cmd('/flashcards my own words count:2', 'flashcards', { topic: 'my own words', count: 2 }));
        expect(own).toBeDefined();
        expect(await attacker.send(cmd('/save', 'save'))).toMatch(/Saved as #1/);
        expect(await attacker.send(cmd('/saved 1', 'saved', { item: 1 }))).not.toBe(missing.get('/saved N'));
        // Nothing more came to any probe after its answer was taken (the control above has been answered since).
        expect(attacker.late?.() ?? []).toEqual([]);
      } finally {
        await attacker.close();
      }
      expect(unhandled).toEqual([]);
    }, 240_000);
  });
});
