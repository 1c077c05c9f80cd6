// LLM faults through the whole stack: 429, 500, a hanging server, a stream that stalls, invalid JSON, JSON
// that breaks the schema, a refusal, and replies in the wrong language (flashcards whose words equal their
// translations; a role-play line or opening in English when Spanish was asked). Every case ends with content
// (repaired when possible) or a clear message within the configured time, the conversation goes on, and no
// promise rejection is left unhandled. Through the front door, and through the Telegram and Discord fakes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageKey } from '../../src/core/i18n/index.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import type { Fault, FakeOpenAIRequest } from '../support/fake-openai.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { startHarness as startTelegram } from '../telegram/support/harness.ts';
import { startHarness as startDiscord } from '../discord/helpers/harness.ts';
import { message, recordUnhandledRejections } from './helpers.ts';

const unhandled = recordUnhandledRejections();

const LLM_TIMEOUT_MS = 1_500;
const LLM_STALL_TIMEOUT_MS = 600;
const LLM_MAX_RETRIES = 2;
/**
 * The client's documented bound (src/core/llm/client.ts): at most two calls (first + one repair), each within
 * timeoutMs, SDK retries included; the queue is empty here. Plus a margin for the database and the machine.
 */
const BOUND_MS = 2 * LLM_TIMEOUT_MS + 1_500;

/** Overrides for the fake's content, consumed one per request of that schema (then normal content again). */
const overrides = new Map<string, unknown[]>();
function respond(req: FakeOpenAIRequest): unknown {
  const queued = overrides.get(req.schemaName ?? '');
  if (queued?.length) return queued.shift();
  return tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {});
}

const SAME_LANGUAGE_CARDS = {
  title: 'Kitchen',
  cards: ['the knife', 'the pot', 'the oven'].map((w) => ({ word: w, translation: w, example: `I use ${w}.`, exampleTranslation: `I use ${w}.` })),
};
const ENGLISH_TURN = { reply: 'Sure! Here is your bread. What else would you like to buy today?', corrections: [], newWords: [] };
const ENGLISH_SCENARIO = {
  title: 'At the bakery',
  setting: 'A small bakery.',
  botRole: 'Baker',
  learnerRole: 'Customer',
  openingLine: 'Good morning! What would you like to buy from the bakery today?',
  exampleDialogue: [],
  keyPhrases: [],
};

let t: TestCore;
beforeAll(async () => {
  t = await createTestCore({
    env: { LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS), LLM_STALL_TIMEOUT_MS: String(LLM_STALL_TIMEOUT_MS), LLM_MAX_RETRIES: String(LLM_MAX_RETRIES) },
  });
  t.openai!.respondWith(respond);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => overrides.clear());

const ana = () => incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
async function ask(text: string, who = ana()) {
  const started = Date.now();
  const replies = await t.frontDoor.text(who, text, { addressed: true });
  return { text: replyText(replies), elapsed: Date.now() - started };
}

type Case = {
  label: string;
  faults?: Fault[];
  content?: Record<string, unknown[]>;
  command: string;
  /** What the learner reads: content (a literal) or a catalogue message. */
  expect: { contains: string } | { key: MessageKey };
  /** Requests the fake must have received (first call, SDK retries, repair). */
  requests?: number;
};

const CASES: Case[] = [
  { label: '429 once (retry-after 0): the SDK retries, content', faults: [{ status: 429, retryAfterSeconds: 0 }], command: '/flashcards fruit count:2', expect: { contains: 'el cuchillo' }, requests: 2 },
  {
    label: '429 on every attempt: "busy, try again in N s"',
    faults: [{ status: 429, retryAfterSeconds: 0 }, { status: 429, retryAfterSeconds: 0 }, { status: 429, retryAfterSeconds: 0 }],
    command: '/flashcards fruit count:2',
    expect: { key: 'errors.llmBusy' },
    requests: 3,
  },
  { label: '500 once: retried, content', faults: [{ status: 500 }], command: '/exercises fruit count:1', expect: { contains: 'Question 1' }, requests: 2 },
  { label: '500 on every attempt: "not reachable"', faults: [{ status: 500 }, { status: 500 }, { status: 500 }], command: '/flashcards fruit count:2', expect: { key: 'errors.llmUnavailable' }, requests: 3 },
  { label: 'a hanging server: "took too long"', faults: [{ hang: true }], command: '/flashcards fruit count:2', expect: { key: 'errors.llmTimeout' } },
  { label: 'a stream that stalls after its first chunk: "took too long"', faults: [{ stallAfterFirstChunk: true }], command: '/exercises fruit count:1', expect: { key: 'errors.llmTimeout' } },
  { label: 'invalid JSON once: repaired', faults: [{ invalidJson: true }], command: '/flashcards fruit count:2', expect: { contains: 'el cuchillo' }, requests: 2 },
  { label: 'invalid JSON twice: "could not use"', faults: [{ invalidJson: true }, { invalidJson: true }], command: '/flashcards fruit count:2', expect: { key: 'errors.llmInvalid' }, requests: 2 },
  { label: 'JSON that breaks the schema once: repaired', faults: [{ breakSchema: true }], command: '/curriculum restaurant work lessons:2', expect: { contains: 'Lesson 2' }, requests: 2 },
  { label: 'JSON that breaks the schema twice: "could not use"', faults: [{ breakSchema: true }, { breakSchema: true }], command: '/exercises fruit count:1', expect: { key: 'errors.llmInvalid' }, requests: 2 },
  { label: 'a refusal: "declined"', faults: [{ refusal: 'I cannot help with that.' }], command: '/flashcards something', expect: { key: 'errors.llmRefused' }, requests: 1 },
  {
    label: 'flashcards whose words equal their translations, once: repaired',
    content: { flashcards: [SAME_LANGUAGE_CARDS] },
    command: '/flashcards kitchen count:3',
    expect: { contains: 'el cuchillo' },
    requests: 2,
  },
  {
    label: 'flashcards in one language twice: "wrong language"',
    content: { flashcards: [SAME_LANGUAGE_CARDS, SAME_LANGUAGE_CARDS] },
    command: '/flashcards kitchen count:3',
    expect: { key: 'errors.wrongLanguage' },
    requests: 2,
  },
  {
    label: 'a role-play opening in English twice (Spanish asked): "wrong language"',
    content: { scenario: [ENGLISH_SCENARIO, ENGLISH_SCENARIO] },
    command: '/simulate buying bread lang:es base:en',
    expect: { key: 'errors.wrongLanguage' },
    requests: 2,
  },
];

describe('LLM faults through the front door', () => {
  it.each(CASES)('$label', async (c) => {
    for (const [schema, contents] of Object.entries(c.content ?? {})) overrides.set(schema, [...contents]);
    if (c.faults) t.openai!.failNext(...c.faults);
    const before = t.openai!.requests.length;
    const r = await ask(c.command);
    if ('contains' in c.expect) expect(r.text).toContain(c.expect.contains);
    else expect(r.text).toMatch(message(c.expect.key));
    expect(r.elapsed).toBeLessThan(BOUND_MS);
    if (c.requests !== undefined) expect(t.openai!.requests.length - before).toBe(c.requests);
    // The conversation goes on: the next request is served normally.
    expect((await ask('/flashcards fruit count:2')).text).toContain('el cuchillo');
    expect(unhandled).toEqual([]);
  });

  it('a role-play line in English (Spanish asked): repaired once; twice: "wrong language"; the role-play goes on', async () => {
    expect((await ask('/simulate buying bread lang:es base:en')).text).toContain('En la panadería');
    overrides.set('simulation_turn', [ENGLISH_TURN]);
    const before = t.openai!.requests.length;
    const repaired = await ask('Hola, quiero pan');
    expect(repaired.text).toContain('Muy bien');
    expect(t.openai!.requests.length - before).toBe(2);
    const repair = t.openai!.requests.at(-1)!;
    expect(repair.messages.at(-1)!.content).toMatch(/target language \(es\)/);

    overrides.set('simulation_turn', [ENGLISH_TURN, ENGLISH_TURN]);
    const refused = await ask('Una barra, por favor');
    expect(refused.text).toMatch(message('errors.wrongLanguage'));
    expect(refused.elapsed).toBeLessThan(BOUND_MS);
    // A short English word or a name in a Spanish line is not flagged.
    overrides.set('simulation_turn', [{ reply: '¡Claro! Aquí tiene su bread, Ana. ¿Algo más?', corrections: [], newWords: [] }]);
    const mixed = await ask('Gracias');
    expect(mixed.text).toContain('Aquí tiene');
    expect((await ask('/end')).text).not.toMatch(message('errors.noSimulation'));
    expect(unhandled).toEqual([]);
  });

  it('every failed generation is logged as an output entry with its error key', async () => {
    await t.core.activityLog.flush();
    const outputs = await t.prisma.activityLog.findMany({ where: { direction: 'output' } });
    const errors = new Set(outputs.map((row) => (row.responseMetadata as { error?: string }).error).filter(Boolean));
    for (const key of ['errors.llmBusy', 'errors.llmUnavailable', 'errors.llmTimeout', 'errors.llmInvalid', 'errors.llmRefused', 'errors.wrongLanguage']) {
      expect(errors).toContain(key);
    }
    const inputs = await t.prisma.activityLog.count({ where: { direction: 'input' } });
    expect(outputs.length).toBe(inputs);
  });
});

describe('LLM faults through the platform fakes', () => {
  it('Telegram: a hanging model, a refusal and a wrong-language role-play line end with clear messages; nothing over the limits', async () => {
    const h = await startTelegram(t.frontDoor);
    const user = h.fake.user({ first_name: 'Tea', language_code: 'en' });
    const chat = h.fake.privateChat(user);
    const say = async (text: string) => {
      const before = h.fake.botMessages(chat).length;
      const started = Date.now();
      h.fake.sendText(chat, user, text);
      await h.fake.waitUntil(() => h.fake.botMessages(chat).length > before, 15_000, `an answer to ${text}`);
      return { text: h.fake.botMessages(chat).slice(before).map((m) => m.text).join('\n'), elapsed: Date.now() - started };
    };
    t.openai!.failNext({ hang: true });
    const hung = await say('/flashcards fruit count:2');
    expect(hung.text).toMatch(message('errors.llmTimeout'));
    expect(hung.elapsed).toBeLessThan(BOUND_MS + 1_000);
    t.openai!.failNext({ refusal: 'No.' });
    expect((await say('/exercises fruit count:1')).text).toMatch(message('errors.llmRefused'));
    expect((await say('/simulate buying bread lang:es base:en')).text).toContain('En la panadería');
    overrides.set('simulation_turn', [ENGLISH_TURN, ENGLISH_TURN]);
    expect((await say('Hola, quiero pan')).text).toMatch(message('errors.wrongLanguage'));
    expect((await say('Una barra, por favor')).text).toContain('Muy bien');
    await say('/end');
    expect(h.fake.failedCalls()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('Discord: a stalled stream and a 500 storm end with clear messages, acknowledged within 3 s', async () => {
    const h = await startDiscord({ frontDoor: t.frontDoor, logger: t.logger });
    try {
      const answer = async (options: Record<string, string | number>, name = 'flashcards') => {
        const i = h.fake.slashCommand({ name, options, user: h.alice });
        const started = Date.now();
        const found = await h.fake.waitFor(() => {
          const messages = [...h.fake.world.messages.values()].filter((m) => m.interactionId === i.id && !m.loading && !m.deleted);
          return messages.length > 0 && messages;
        }, 15_000, `the answer to /${name}`);
        expect(h.fake.acknowledgedInTime(i.id)).toBe(true);
        return { text: found.map((m) => [m.content, ...m.embeds.map((e) => JSON.stringify(e))].join('\n')).join('\n'), elapsed: Date.now() - started };
      };
      t.openai!.failNext({ stallAfterFirstChunk: true });
      const stalled = await answer({ topic: 'fruit', count: 2 });
      expect(stalled.text).toMatch(message('errors.llmTimeout'));
      expect(stalled.elapsed).toBeLessThan(BOUND_MS + 1_000);
      t.openai!.failNext({ status: 500 }, { status: 500 }, { status: 500 });
      expect((await answer({ topic: 'fruit', count: 1 }, 'exercises')).text).toMatch(message('errors.llmUnavailable'));
      overrides.set('flashcards', [SAME_LANGUAGE_CARDS]);
      expect((await answer({ topic: 'kitchen', count: 3 })).text).toContain('el cuchillo');
      expect(h.fake.rejected()).toEqual([]);
    } finally {
      await h.close();
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});
