// Two real bot processes (child processes, each with its own core) on one PostgreSQL database and one Redis,
// calling one fake OpenAI server. Each process reaches the fake through its own counting proxy, so the test
// sees every request and how many were in flight at once, in total and per process. The assertions count;
// none depends on how fast the machine is.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { sampleFromSchema } from '../support/fake-openai/sample-from-schema.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { postgresTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startCountingProxy, tally, type CountingProxy, type Tally } from './support/counting-proxy.ts';
import { startCoreProcess, type CoreProcess } from './support/processes.ts';
import { deleteKeys, REDIS_URL, skipReason, titled, uniquePrefix } from './support/services.ts';

const skip = skipReason('postgres', 'redis');
const BUSY = /busy with many learners/;
const GOING_FAST = /You are going fast! Please wait \d+ s/;
const CARDS = /el cuchillo/;

describe.skipIf(Boolean(skip))('two bot processes, one truth', () => {
  let a: CoreProcess;
  let b: CoreProcess;
  let fake: FakeOpenAI;
  let viaA: CountingProxy;
  let viaB: CountingProxy;
  let both: Tally;
  let database: TestDatabase;
  let prefix: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startCoreProcess(), startCoreProcess()]);
  });
  afterAll(async () => {
    await Promise.all([a?.exit(), b?.exit()]);
  });

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    fake.respondWith((req) => tutorContent(req) ?? sampleFromSchema(req.jsonSchema ?? {}));
    const origin = new URL(fake.url).origin;
    both = tally();
    [viaA, viaB] = await Promise.all([startCountingProxy(origin, both), startCountingProxy(origin, both)]);
    database = await postgresTestDatabase();
    prefix = uniquePrefix('two-processes');
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all([viaA.close(), viaB.close(), fake.close()]);
    await database.drop();
    await deleteKeys(prefix);
  });

  /** Opens a core in each process: same database, same Redis prefix (unless `shared` is false), own proxy. */
  async function open(limits: Record<string, string>, shared = true): Promise<void> {
    const env = (proxy: CountingProxy) => ({
      DATABASE_URL: database.url,
      OPENAI_BASE_URL: `${proxy.origin}/v1`,
      OPENAI_API_KEY: 'test-key-key-for-fake-server-0000',
      OPENAI_MODEL: 'fake-model',
      LLM_TIMEOUT_MS: '20000',
      LLM_MAX_RETRIES: '0',
      LOG_LEVEL: 'error', // refusals are expected here; warnings would only be noise
      ...(shared ? { REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix } : {}),
      ...limits,
    });
    // One after the other: the first applies the database migrations.
    await a.open(env(viaA));
    await b.open(env(viaB));
  }

  const learners = (process: CoreProcess, name: string, count: number) =>
    Array.from({ length: count }, (_, i) => process.text({ id: `${name}${i}` }, '/flashcards kitchen count:3'));
  const totalRequests = () => viaA.count('/chat/completions') + viaB.count('/chat/completions');

  it(titled('LLM_MAX_CONCURRENT=2 holds across both processes: never more than 2 requests in flight at the fake', skip), async () => {
    await open({ LLM_MAX_CONCURRENT: '2', LLM_CALLS_PER_MINUTE: '1000', LLM_QUEUE_TIMEOUT_MS: '60000', USER_CALLS_PER_MINUTE: '100' });
    fake.setLatency(250);
    const replies = await Promise.all([...learners(a, 'a', 6), ...learners(b, 'b', 6)]);

    expect(replies.filter((r) => CARDS.test(r))).toHaveLength(12);
    expect(totalRequests()).toBe(12);
    // The total over both proxies is what the provider sees.
    expect(both.maxInFlight).toBeLessThanOrEqual(2);
    expect(both.maxInFlight).toBe(2); // the limit was reached, so the test did exercise it
    expect(viaA.count('/chat/completions')).toBe(6);
    expect(viaB.count('/chat/completions')).toBe(6);
    console.info(`[scale] max requests in flight at the fake across two processes: ${both.maxInFlight} (limit 2; per process ${viaA.maxInFlight} and ${viaB.maxInFlight})`);
  });

  it(titled('control: without Redis each process limits only itself, and the same measurement sees more than 2 in flight', skip), async () => {
    await open({ LLM_MAX_CONCURRENT: '2', LLM_CALLS_PER_MINUTE: '1000', LLM_QUEUE_TIMEOUT_MS: '60000', USER_CALLS_PER_MINUTE: '100' }, false);
    fake.setLatency(250);
    await Promise.all([...learners(a, 'a', 6), ...learners(b, 'b', 6)]);
    expect(both.maxInFlight).toBeGreaterThan(2);
    console.info(`[scale] without Redis: max in flight ${both.maxInFlight} (2 per process)`);
  });

  it(titled('LLM_CALLS_PER_MINUTE=5 holds across both processes: exactly 5 requests reach the fake, the rest are told to wait', skip), async () => {
    await open({ LLM_MAX_CONCURRENT: '10', LLM_CALLS_PER_MINUTE: '5', LLM_QUEUE_TIMEOUT_MS: '1500', USER_CALLS_PER_MINUTE: '100' });
    fake.setLatency(20);
    const replies = await Promise.all([...learners(a, 'a', 5), ...learners(b, 'b', 5)]);

    expect(totalRequests()).toBe(5);
    expect(replies.filter((r) => CARDS.test(r))).toHaveLength(5);
    expect(replies.filter((r) => BUSY.test(r))).toHaveLength(5);
    console.info(`[scale] reservoir 5/min across two processes: ${totalRequests()} requests reached the fake out of 10 asked`);
  });

  it(titled('USER_CALLS_PER_MINUTE=3 holds for one learner across both processes, refused at once (not queued)', skip), async () => {
    await open({ LLM_MAX_CONCURRENT: '4', LLM_CALLS_PER_MINUTE: '1000', LLM_QUEUE_TIMEOUT_MS: '30000', USER_CALLS_PER_MINUTE: '3' });
    const ana = { id: 'ana', name: 'Ana' };
    const replies: string[] = [];
    for (const process of [a, b, a, b, a, b]) replies.push(await process.text(ana, '/flashcards kitchen count:3'));

    expect(replies.slice(0, 3).every((r) => CARDS.test(r))).toBe(true);
    expect(replies.slice(3).every((r) => GOING_FAST.test(r))).toBe(true);
    expect(totalRequests()).toBe(3);
    // Another learner is not affected.
    expect(await b.text({ id: 'ben' }, '/flashcards kitchen count:3')).toMatch(CARDS);
  });

  it(titled('a role-play started through one process continues and ends through the other', skip), async () => {
    await open({ USER_CALLS_PER_MINUTE: '100' });
    const ana = { id: 'ana', name: 'Ana' };
    expect(await a.text(ana, '/simulate ordering bread at a bakery')).toContain('¡Buenos días!');
    expect(await b.text(ana, 'Hola, quiero pan')).toContain('Muy bien, Ana');
    expect(await a.text(ana, 'Gracias')).toContain('Muy bien, Ana');
    const summary = await b.text(ana, '/end');
    expect(summary).toContain('Ana: 2 messages');
    expect(viaA.count('/chat/completions')).toBeGreaterThan(0);
    expect(viaB.count('/chat/completions')).toBeGreaterThan(0);
  });
});
