// /flashcards, /exercises, /simulate and a role-play turn through the real core (front door, services, SQLite,
// the openai SDK) against servers that refuse json_schema or ignore response_format. Each script is first run
// against a server that honours json_schema; the same script may cost exactly one request more, on its first
// command, and the mode switch is logged once for the process.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { sqliteTestDatabase } from '../support/databases.ts';
import { startFakeOpenAI, type FakeStructuredOutput } from '../support/fake-openai.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { spawnTutor } from '../support/tutor-process.ts';
import { tutorContent } from '../support/tutor-responder.ts';

const SWITCHED = 'llm structured-output mode switched for this process';
const cores: TestCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.close()));
});

async function coreWith(mode: FakeStructuredOutput, env: Record<string, string> = {}) {
  const t = await createTestCore({ env });
  cores.push(t);
  t.openai!.setStructuredOutput(mode);
  return t;
}

/** The learner's script; returns how many requests each command cost at the fake. */
async function learnerScript(t: TestCore): Promise<number[]> {
  const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
  const costs: number[] = [];
  const say = async (text: string) => {
    const before = t.openai!.requests.length;
    const replies = (await t.frontDoor.text(ana, text, { addressed: true })) ?? [];
    costs.push(t.openai!.requests.length - before);
    return replies;
  };

  const cards = await say('/flashcards kitchen words count:4');
  const card = cards[0]!.blocks[0]!;
  expect(card.kind === 'card' && card.fields.length).toBe(4);
  expect(replyText(cards)).toContain('el cuchillo');

  const exercises = await say('/exercises cooking verbs count:2');
  const question = exercises.at(-1)!;
  expect(question.buttons!.flat().length).toBeGreaterThan(1);
  expect(replyText([question])).toContain('el cuchillo');

  const scenario = await say('/simulate ordering bread at a bakery');
  expect(scenario[0]!.simulationSessionId).toBeTypeOf('number');
  expect(replyText(scenario)).toContain('En la panadería');

  const turn = await say('Hola, quiero pan');
  expect(replyText(turn)).toContain('Muy bien, Ana');
  expect(replyText(turn)).toContain('quiero un pan'); // the correction came through too

  expect(replyText(await say('/end'))).toContain('quiero un pan');
  return costs;
}

async function switchesLogged(t: TestCore) {
  await new Promise((resolve) => setImmediate(resolve));
  return t.logs.filter((entry) => entry.msg === SWITCHED);
}

describe('structured-output fallbacks through the whole core', () => {
  it.each(['json_object-only', 'ignores-response-format'] as const)(
    'a server that is %s: every command works; one extra request on the first, none after; one switch logged',
    async (mode) => {
      const reference = await coreWith('json_schema');
      const referenceCosts = await learnerScript(reference);
      expect(await switchesLogged(reference)).toHaveLength(0);

      const t = await coreWith(mode);
      const costs = await learnerScript(t);
      console.log(`requests per command (flashcards, exercises, simulate, turn, end): ${mode} ${JSON.stringify(costs)}, json_schema server ${JSON.stringify(referenceCosts)}`);
      expect(costs).toEqual(referenceCosts.map((cost, i) => (i === 0 ? cost + 1 : cost)));
      const logged = await switchesLogged(t);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ from: 'json_schema', to: 'json_object', reason: mode === 'json_object-only' ? 'rejected' : 'ignored' });
      // No learner text in the switch log.
      expect(JSON.stringify(logged[0])).not.toMatch(/kitchen|quiero/);
      // After the first command everything went out as json_object with the schema in the system prompt.
      const later = t.openai!.requests.slice(2);
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((r) => r.responseFormatType === 'json_object' && r.messages[0]!.content.includes('JSON Schema named'))).toBe(true);
    },
  );

  it.each([
    ['json_object', 'json_object-only', 'json_object'],
    ['prompt', 'ignores-response-format', undefined],
  ] as const)('LLM_STRUCTURED_OUTPUT=%s is honoured from the first request (against a server that is %s)', async (setting, mode, format) => {
    const t = await coreWith(mode, { LLM_STRUCTURED_OUTPUT: setting });
    const costs = await learnerScript(t);
    const reference = await coreWith('json_schema');
    expect(costs).toEqual(await learnerScript(reference));
    expect(t.openai!.requests.every((r) => r.responseFormatType === format)).toBe(true);
    expect(await switchesLogged(t)).toHaveLength(0);
  });

  it('a bad LLM_STRUCTURED_OUTPUT stops the start with a message naming it and the choices', () => {
    expect(() => loadConfig({ LLM_STRUCTURED_OUTPUT: 'strict' })).toThrow(ConfigError);
    expect(() => loadConfig({ LLM_STRUCTURED_OUTPUT: 'strict' })).toThrow(/LLM_STRUCTURED_OUTPUT: one of auto, json_schema, json_object, prompt/);
    expect(loadConfig({}).LLM_STRUCTURED_OUTPUT).toBe('auto');
  });
});

/** `npm run chat` (node dist/main.js --chat) with the script on stdin; the requests it cost and its log file. */
async function terminalSession(mode: FakeStructuredOutput) {
  const openai = await startFakeOpenAI({ structuredOutput: mode });
  openai.respondWith((req) => tutorContent(req));
  const db = sqliteTestDatabase();
  try {
    const logFile = join(mkdtempSync(join(tmpdir(), 'tutor-log-')), 'chat.log');
    const child = spawnTutor(['--chat'], {
      LOG_FILE: logFile,
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: 'not-needed',
      USER_CALLS_PER_MINUTE: '100',
    });
    child.stdin.end(['/flashcards kitchen words count:3', '/exercises kitchen count:2', '/simulate ordering at a bakery', 'Hola, quiero pan', '/end'].join('\n') + '\n');
    expect((await child.exited).code).toBe(0);
    return { out: child.stdoutText(), log: readFileSync(logFile, 'utf8'), requests: openai.requests.length };
  } finally {
    await openai.close();
    await db.drop();
  }
}

describe('the terminal chat process against such servers', () => {
  it('works as against a json_schema server, for one request more; the switch is logged once', async () => {
    const reference = await terminalSession('json_schema');
    for (const mode of ['json_object-only', 'ignores-response-format'] as const) {
      const session = await terminalSession(mode);
      for (const text of ['el cuchillo', 'Muy bien', 'Role-play finished']) expect(session.out).toContain(text);
      expect(session.requests).toBe(reference.requests + 1);
      expect(session.log.split('\n').filter((line) => line.includes(SWITCHED))).toHaveLength(1);
      expect(session.log).not.toContain('quiero pan');
    }
    expect(reference.log).not.toContain(SWITCHED);
  });
});
