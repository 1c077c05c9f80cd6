// Fuzzing the Discord adapter through the fake Discord (REST + gateway) with the real core behind it:
// seeded slash commands with options of any type (garbage strings, huge/negative/fractional numbers, Unicode,
// unknown options and commands), autocomplete with hostile input, buttons with random custom_ids (random
// bytes, near-valid codec strings, other users' real ones), modal submissions, mentions and DMs with hostile
// text, reactions with random emoji on any message. Asserted: no crash and no unhandled rejection, every
// interaction acknowledged within 3 s and answered, the fake rejected no REST call (it enforces Discord's
// limits: 2000 characters, embeds, components, custom_id ≤ 100, autocomplete ≤ 25 choices), no LLM call for
// refused input. Replay with FUZZ_SEED=<seed>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import type { FakeInteraction, FakeMessage, FakeUser } from '../support/fake-discord/index.ts';
import { createPrng, hostileText, hostileValue, randomBytesString, seedFrom, UNICODE_EDGES } from '../support/prng.ts';
import { startHarness, type Harness } from '../discord/helpers/harness.ts';
import { recordUnhandledRejections, until } from '../faults/helpers.ts';
import { actionData, argsFor, checkCalls, checkPromptQuoting, plainText, quiescence, spyFrontDoor } from './support.ts';

const SEED = seedFrom(process.env.FUZZ_SEED, 0xd15c_0003);
// A fixed number of cases, not a time budget: the same seed replays the same run on any machine, however loaded.
const CASES = 600;
const unhandled = recordUnhandledRejections();
const EMOJI = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣', '6️⃣', '👍', '🔥', 'custom:123456789012345678', 'x', '🏳️‍🌈', '👨‍👩‍👧', ...UNICODE_EDGES.slice(0, 5)];

let tc: TestCore;
let spy: ReturnType<typeof spyFrontDoor>;
let h: Harness;
beforeAll(async () => {
  tc = await createTestCore({
    env: { LOG_LEVEL: 'warn', LLM_CALLS_PER_MINUTE: '100000', USER_CALLS_PER_MINUTE: '10000', USER_DAILY_QUOTA: '1000000', LLM_MAX_CONCURRENT: '8' },
  });
  spy = spyFrontDoor(tc);
  h = await startHarness({ frontDoor: spy.frontDoor, logger: tc.logger });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await tc?.close();
});


describe('Discord adapter fuzz', () => {
  it(`${CASES} hostile interactions and messages (seed ${SEED}): all acknowledged in time and answered, nothing rejected`, async () => {
    const { fake } = h;
    const prng = createPrng(SEED);
    const users: FakeUser[] = [h.alice, h.bob, fake.addUser('cai'), fake.addUser('dee', { globalName: '\u202eeeD' })];
    const interactions: Array<{ i: FakeInteraction; kind: 'command' | 'button' | 'modal' | 'autocomplete' }> = [];
    const commands = spy.frontDoor.commands;
    const botMessages = () => [...fake.world.messages.values()].filter((m) => m.author.id === fake.bot.id && !m.deleted && !m.loading && !m.ephemeral);
    const anyMessage = () => [...fake.world.messages.values()].filter((m) => !m.deleted && !m.loading && !m.ephemeral);
    const payloads = () => [...new Set(botMessages().flatMap((m) => JSON.stringify(m.components).match(/"custom_id":"([^"]*)"/g)?.map((x) => x.slice(13, -1)) ?? []))];

    const started = Date.now();
    for (let n = 0; n < CASES; n++) {
      const p = prng.fork(n);
      const user = p.pick(users);
      const dm = p.bool(0.2);
      switch (p.int(0, 9)) {
        case 0:
        case 1:
        case 2:
        case 3: {
          const command = p.pick(commands);
          const name = p.bool(0.95) ? command.name : p.pick(['retired', 'x'.repeat(32)]);
          const options = argsFor(p, command, 0.5);
          interactions.push({ i: fake.slashCommand({ name, options, user, dm, ...(p.bool(0.3) ? { locale: p.pick(['es-ES', 'de', 'xx-YY', '']) } : {}) }), kind: 'command' });
          break;
        }
        case 4: {
          const command = p.pick(commands.filter((c) => c.options.some((o) => o.type === 'language')));
          const focused = p.pick(command.options.filter((o) => o.type !== 'attachment')).name;
          const value = p.bool(0.5) ? hostileText(p, 3) : p.pick(['es', 'span', '', 'ñ', 'x'.repeat(200)]);
          interactions.push({ i: fake.autocomplete({ name: command.name, options: { [focused]: value }, focused, user, dm }), kind: 'autocomplete' });
          break;
        }
        case 5:
        case 6: {
          const messages = botMessages();
          if (!messages.length) break;
          const message = p.pick(messages);
          const customId = p.bool(0.1) ? randomBytesString(p, 100) : actionData(p, payloads(), [1, 2, 3, 4, 5]);
          interactions.push({ i: fake.pressButton({ message, customId, user }), kind: 'button' });
          break;
        }
        case 7: {
          const customId = p.pick(['save-modal|1', `save-modal|${p.int(0, 999_999_999_999)}`, 'save-modal|-1', 'save-modal|', randomBytesString(p, 60)]);
          const fields: Record<string, string> = {};
          if (p.bool(0.8)) fields.label = String(hostileValue(p)).slice(0, 4000);
          if (p.bool(0.5)) fields.notes = String(hostileValue(p)).slice(0, 4000);
          if (p.bool(0.1)) fields[hostileText(p, 1) || 'x'] = 'y';
          interactions.push({ i: fake.submitModal({ customId, fields, user, dm }), kind: 'modal' });
          break;
        }
        case 8: {
          const replyTo = p.bool(0.3) ? p.pick(anyMessage()) : undefined;
          fake.sendMessage({ author: user, content: plainText(p).slice(0, 2000) || '.', mentionBot: !dm && p.bool(0.7), dm, ...(replyTo && !dm && replyTo.channelId === fake.channelId ? { replyTo } : {}) });
          break;
        }
        default: {
          const messages = anyMessage();
          if (!messages.length) break;
          const message: FakeMessage = p.pick(messages);
          const emoji = p.pick(EMOJI);
          if (p.bool(0.8)) fake.react({ user, message, emoji });
          else fake.unreact({ user, message, emoji });
        }
      }
      // Waves: the fake checks the 3-second rule, so the machine must not fall behind by seconds: every 25
      // cases wait until everything dispatched is acknowledged and few front-door calls are still running.
      if (n % 25 === 24) {
        await until(
          () => interactions.every(({ i }) => fake.interaction(i.id).acknowledgedAt !== undefined || fake.interaction(i.id).lateCallbacks > 0) && spy.calls.filter((c) => c.replies === undefined && c.error === undefined).length < 10,
          30_000,
          'the wave to be acknowledged',
        );
      }
    }
    // Replies travel through discord.js's REST queue, which serialises every interaction webhook of the
    // application (one bucket): under this burst they arrive seconds after the front door answered.
    const answered = (i: FakeInteraction) => [...fake.world.messages.values()].some((m) => m.interactionId === i.id && !m.loading && !m.deleted);
    const pending = () => interactions.filter(({ i, kind }) => (kind === 'command' || kind === 'modal') && !answered(i));
    await until(() => pending().length === 0, 60_000, 'every command answered').catch(() => undefined);
    await quiescence(spy, () => h.fake.calls.length, 500, 30_000);

    expect(fake.rejected().map((c) => `${c.method} ${c.path} ${c.status} ${JSON.stringify(c.response).slice(0, 200)}`)).toEqual([]);
    const late = interactions.filter(({ i }) => !fake.acknowledgedInTime(i.id));
    expect(late.map(({ i, kind }) => `${kind} ${JSON.stringify(i.payload.data).slice(0, 120)}`)).toEqual([]);
    // Commands and modals are answered with a message; buttons at least acknowledged (deferUpdate), their replies checked through the front door.
    const unanswered = pending();
    expect(unanswered.map(({ i, kind }) => `${kind} ${JSON.stringify(i.payload.data).slice(0, 160)}`)).toEqual([]);
    const { llmCalls, refused } = checkCalls(spy.calls, spy.orphanLlmCalls(), tc.logs);
    expect(refused).toBeGreaterThan(50);
    expect(h.adapter.isConnected()).toBe(true);
    checkPromptQuoting(tc.openai!.requests);
    expect(unhandled).toEqual([]);
    console.info(`discord fuzz: ${CASES} cases in ${Date.now() - started} ms, ${interactions.length} interactions, ${refused} refused, ${llmCalls} LLM calls, ${fake.calls.length} REST calls`);
  }, 180_000);
});
