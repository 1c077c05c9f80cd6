// Fuzzing the Telegram adapter through the fake Bot API with the real core behind it: seeded hostile updates
// (commands with garbage options and Unicode edge cases, prompt injections, messages replying to random
// messages, edits, callback queries with random bytes, near-valid codec strings and other users' real
// payloads, reactions with random emoji on any message) from several private chats and groups at once.
// Asserted: no crash and no unhandled rejection, the fake rejected no Bot API call (nothing over a limit:
// text ≤ 4096, callback_data ≤ 64 bytes, callback answers ≤ 200), every callback query answered, every
// front-door answer delivered, no LLM call for refused input. The fake's and the adapter's rate limits are
// raised: rate limiting has its own tests, this one is about content. Replay with FUZZ_SEED=<seed>.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import type { FakeChat, FakeUser } from '../support/fake-telegram/index.ts';
import { createPrng, seedFrom, UNICODE_EDGES, type Prng } from '../support/prng.ts';
import { startHarness, type Harness } from '../telegram/support/harness.ts';
import { recordUnhandledRejections } from '../faults/helpers.ts';
import { actionData, checkCalls, checkPromptQuoting, commandText, plainText, quiescence, spyFrontDoor } from './support.ts';

const SEED = seedFrom(process.env.FUZZ_SEED, 0x7e1e_0002);
// A fixed number of cases, not a time budget: the same seed replays the same run on any machine, however loaded.
const CASES = 1_000;
const unhandled = recordUnhandledRejections();

const UNLIMITED = { max: 1_000_000, windowMs: 1_000 };
const EMOJI = ['👍', '🔥', '🤩', '😢', '😐', '💩', '❤', '1️⃣', '👨‍👩‍👧', 'x', '', '\u200d', '🏳️‍🌈', ...UNICODE_EDGES.slice(0, 6)];

let tc: TestCore;
let spy: ReturnType<typeof spyFrontDoor>;
let h: Harness;
beforeAll(async () => {
  tc = await createTestCore({
    env: { LOG_LEVEL: 'warn', LLM_CALLS_PER_MINUTE: '100000', USER_CALLS_PER_MINUTE: '10000', USER_DAILY_QUOTA: '1000000', LLM_MAX_CONCURRENT: '8' },
  });
  spy = spyFrontDoor(tc);
}, 60_000);
afterAll(async () => {
  await h?.adapter.stop();
  await tc.close();
});


describe('Telegram adapter fuzz', () => {
  it(`${CASES} hostile updates (seed ${SEED}) across chats: nothing rejected, every button answered, no LLM call for refused input`, async () => {
    h = await startHarness(spy.frontDoor, {
      fake: { rateLimits: { perChat: UNLIMITED, perGroup: UNLIMITED, global: UNLIMITED } },
      adapter: { limits: { privateChat: { burst: 100_000, refillMs: 1 }, group: { burst: 100_000, refillMs: 1 }, globalPerSecond: 1_000_000 }, logger: tc.logger },
    });
    const { fake } = h;
    const prng = createPrng(SEED);
    const users: FakeUser[] = Array.from({ length: 6 }, (_, i) => fake.user({ first_name: `U${i}`, language_code: prng.pick(['en', 'es', 'xx', 'de']) }));
    const chats: Array<{ chat: FakeChat; members: FakeUser[] }> = [
      ...users.slice(0, 4).map((u) => ({ chat: fake.privateChat(u), members: [u] })),
      { chat: fake.group(), members: users.slice(2, 6) },
      { chat: fake.group({ supergroup: true }), members: users.slice(0, 3) },
      { chat: fake.forum(), members: users.slice(1, 5) },
    ];
    // Real payloads (from the bot's messages so far) to press as someone else.
    const payloads = () => [...new Set(chats.flatMap(({ chat }) => fake.botMessages(chat).flatMap((m) => m.buttons.flat().map((b) => b.callback_data!))))];
    const anyMessage = (p: Prng, chat: FakeChat) => {
      const ids = [...fake.chatState(chat).messages.keys()];
      return ids.length ? p.pick(ids) : undefined;
    };
    const queries: string[] = [];

    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      const p = prng.fork(i);
      const { chat, members } = p.pick(chats);
      const from = p.pick(members);
      const mention = chat.type !== 'private' && p.bool(0.5) ? `@${fake.bot.username} ` : '';
      switch (p.int(0, 9)) {
        case 0:
        case 1:
        case 2:
          fake.sendText(chat, from, commandText(p, spy.frontDoor.commands, 0.5));
          break;
        case 3:
        case 4: {
          const replyTo = p.bool(0.3) ? anyMessage(p, chat) : undefined;
          try {
            fake.sendText(chat, from, mention + plainText(p), replyTo !== undefined ? { replyTo } : {});
          } catch {
            fake.sendText(chat, from, mention + plainText(p)); // the fake refuses replies no client could send (a topic it lost)
          }
          break;
        }
        case 5: {
          const own = [...fake.chatState(chat).messages.values()].filter((m) => !m.fromBot).map((m) => m.message.message_id);
          if (own.length) fake.editText(chat, p.pick(own), plainText(p));
          else fake.sendText(chat, from, '/start');
          break;
        }
        case 6:
        case 7: {
          // A callback query with any data, on any bot message (or none): what a modified client can send.
          const bot = fake.botMessages(chat);
          const message = bot.length ? p.pick(bot) : undefined;
          const queryId = randomUUID();
          fake.world.callbackQueries.set(queryId, { answered: false });
          queries.push(queryId);
          const stored = message ? fake.chatState(chat).messages.get(message.message_id)?.message : undefined;
          fake.pushUpdate({
            callback_query: { id: queryId, from, chat_instance: String(chat.id), data: actionData(p, payloads(), [1, 2, 3, 4, 5]), ...(stored ? { message: structuredClone(stored) } : {}) },
          });
          break;
        }
        default: {
          const messageId = anyMessage(p, chat);
          if (messageId !== undefined) fake.react(chat, from, messageId, p.bool(0.2) ? [] : [p.pick(EMOJI), ...(p.bool(0.2) ? [p.pick(EMOJI)] : [])]);
        }
      }
      // Let the adapter keep up a little (bounded memory, realistic interleaving).
      if (i % 50 === 49) await quiescence(spy, () => h.fake.calls.length, 150, 30_000);
    }
    await quiescence(spy, () => h.fake.calls.length, 500, 30_000);

    // Nothing the bot sent was over a limit or otherwise refused.
    expect(fake.failedCalls().map((c) => `${c.method}: ${c.description}`)).toEqual([]);
    // Every button press got its answer (the spinner stops), whatever its data.
    expect(queries.filter((q) => !fake.callbackAnswer(q).answered)).toEqual([]);
    for (const q of queries) expect((fake.callbackAnswer(q).text ?? '').length).toBeLessThanOrEqual(200);
    const { llmCalls, refused } = checkCalls(spy.calls, spy.orphanLlmCalls(), tc.logs);
    expect(refused).toBeGreaterThan(50);
    // Each front-door answer was delivered: the bot sent at least as many messages/edits/answers as non-empty replies.
    const replies = spy.calls.filter((c) => c.method !== 'reaction' && c.replies && c.replies.length > 0).length;
    const deliveries = fake.calls.filter((c) => c.ok && ['sendMessage', 'editMessageText', 'answerCallbackQuery', 'sendDocument'].includes(c.method)).length;
    expect(deliveries).toBeGreaterThanOrEqual(replies);
    expect(h.adapter.isConnected()).toBe(true);
    checkPromptQuoting(tc.openai!.requests);
    expect(unhandled).toEqual([]);
    console.info(`telegram fuzz: ${CASES} updates in ${Date.now() - started} ms, ${spy.calls.length} front-door calls, ${refused} refused, ${llmCalls} LLM calls, ${fake.calls.length} Bot API calls`);
  }, 180_000);
});
