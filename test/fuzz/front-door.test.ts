// Fuzzing the front door (the terminal's path, and what every adapter calls): a few thousand seeded cases of
// hostile commands, typed options (Discord-style, with wrong types, huge and negative numbers), plain text,
// button payloads (random bytes, near-valid codec strings, other learners' real payloads) and reactions on
// unknown messages. Replay a failure with FUZZ_SEED=<seed from the test name>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';
import { createPrng, hostileText, seedFrom } from '../support/prng.ts';
import { recordUnhandledRejections } from '../faults/helpers.ts';
import { actionData, argsFor, checkCalls, checkPromptQuoting, commandText, plainText, spyFrontDoor, type CallRecord } from './support.ts';

const SEED = seedFrom(process.env.FUZZ_SEED, 0x5eed_0001);
// A fixed number of cases, not a time budget: the same seed replays the same run on any machine, however loaded.
const CASES = 1_500;
const unhandled = recordUnhandledRejections();

let tc: TestCore;
let spy: ReturnType<typeof spyFrontDoor>;
beforeAll(async () => {
  tc = await createTestCore({
    env: { LOG_LEVEL: 'warn', LLM_CALLS_PER_MINUTE: '100000', USER_CALLS_PER_MINUTE: '10000', USER_DAILY_QUOTA: '1000000', LLM_MAX_CONCURRENT: '8' },
  });
  spy = spyFrontDoor(tc);
});
afterAll(async () => {
  await tc.close();
});

describe('front door fuzz', () => {
  it(`${CASES} hostile cases (seed ${SEED}): no crash, every command answered, no LLM call for refused input`, async () => {
    const prng = createPrng(SEED);
    const fd = spy.frontDoor;
    const learners = ['ana', 'ben', 'cai'].map((id) => incomingFrom(tc.logger, { id, name: id.toUpperCase() }));
    const group = ['ana', 'ben'].map((id) => incomingFrom(tc.logger, { id, name: id.toUpperCase() }, { id: 'group-1', isGroup: true }));
    // Real payloads to replay as other learners: seed some content first.
    for (const learner of learners) await fd.text(learner, '/flashcards kitchen count:2', { addressed: true });
    await fd.text(learners[0]!, '/exercises verbs count:2', { addressed: true });
    const payloads = () => [...new Set(spy.calls.flatMap((c) => (c.replies ?? []).flatMap((r) => (r.buttons ?? []).flat().map((b) => b.data))))];
    const ids = [1, 2, 3, 4, 5, 6, 7];

    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      const p = prng.fork(i);
      const incoming = p.bool(0.8) ? p.pick(learners) : p.pick(group);
      switch (p.int(0, 9)) {
        case 0:
        case 1:
        case 2: {
          // "/name body" as typed in the terminal or Telegram.
          await fd.text(incoming, commandText(p, fd.commands, 0.5), { addressed: p.bool(0.9) });
          break;
        }
        case 3:
        case 4: {
          // Typed options as Discord sends them (any type for any option, unknown options, unknown commands).
          const command = p.pick(fd.commands);
          const name = p.bool(0.9) ? command.name : p.pick(['nope', '', 'FLASHCARDS', hostileText(p, 1)]);
          await fd.command(incoming, name, argsFor(p, command, 0.4));
          break;
        }
        case 5:
        case 6: {
          await fd.text(incoming, plainText(p), { addressed: p.bool(0.8), ...(p.bool(0.2) ? { replyTo: { platform: 'console', chatId: 'x', messageId: String(p.int(0, 50)) } } : {}) });
          break;
        }
        case 7:
        case 8: {
          await fd.action(incoming, actionData(p, payloads(), ids));
          break;
        }
        default: {
          const rating = p.pick([null, 0, 1, 3, 5, 6, -1, 1.5, Number.NaN]) as number | null;
          await fd.reaction(incoming, { platform: 'console', chatId: p.pick(['terminal', 'chat-ana', 'x']), messageId: String(p.int(0, 100)) }, rating);
        }
      }
    }
    const { llmCalls, refused } = checkCalls(spy.calls, spy.orphanLlmCalls(), tc.logs);
    // Plain text is answered (content or a clear message) whenever it is addressed in a private chat.
    const silent = spy.calls.filter((c: CallRecord) => c.method === 'text' && c.replies !== null && !replyText(c.replies ?? null).trim());
    expect(silent.map((c) => c.input.slice(0, 60))).toEqual([]);
    expect(refused).toBeGreaterThan(100);
    expect(llmCalls).toBeGreaterThan(10);
    checkPromptQuoting(tc.openai!.requests);
    expect(unhandled).toEqual([]);
    console.info(`front door fuzz: ${CASES} cases in ${Date.now() - started} ms, ${refused} refused by validation, ${llmCalls} LLM calls`);
  }, 180_000);
});
