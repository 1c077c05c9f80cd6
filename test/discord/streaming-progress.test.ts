// A slow answer on Discord through the real core and the real openai SDK against a fake model that writes
// slowly: the deferred reply is edited with the cards as they complete, at most once per 1.5 s (the fake
// Discord refuses a sooner edit of the same message with 429, so no rejected call proves compliance), and the
// final edit brings the buttons, the rating row among them. The model holds the rest of its stream until the
// first card was shown, so the order is proven, not timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

let core: TestCore;
let h: Harness;

beforeAll(async () => {
  core = await createTestCore({ env: { LLM_TIMEOUT_MS: '60000', LLM_STALL_TIMEOUT_MS: '20000' } });
  h = await startHarness({ frontDoor: core.frontDoor, logger: core.logger });
  h.fake.world.editIntervalMs = 1500;
}, 60_000);
afterAll(async () => {
  await h?.close();
  await core?.close();
});

const FIRST_CARD_END = '"exampleTranslation":"I need the knife to cook."}';
const editsOfOriginal = (since: number) => h.fake.calls.slice(since).filter((c) => c.method === 'PATCH' && /\/messages\/(@|%40)original$/.test(c.path));

describe('Discord shows the answer while the model writes it', () => {
  it('/flashcards count:8: the deferred reply shows the first card before the rest is sent; the final edit adds the buttons and the rating row', async () => {
    const since = h.fake.calls.length;
    let shownBeforeRest: boolean | undefined;
    core.openai!.setStreaming({
      tokensPerSecond: 60,
      beforeChunk: async (sent) => {
        if (shownBeforeRest !== undefined || !sent.includes(FIRST_CARD_END)) return;
        shownBeforeRest = await h.fake
          .waitFor(() => editsOfOriginal(since).some((c) => c.status === 200 && JSON.stringify(c.body).includes('el cuchillo')), 15_000, 'the first card')
          .then(
            () => true,
            () => false,
          );
      },
    });
    try {
      const i = h.fake.slashCommand({ name: 'flashcards', options: { topic: 'kitchen', count: 8 }, user: h.alice });
      const message = await h.fake.waitFor(
        () => [...h.fake.world.messages.values()].find((m) => m.interactionId === i.id && JSON.stringify(m.components).includes('1️⃣')),
        30_000,
        'the final cards with their rating row',
      );
      expect(shownBeforeRest).toBe(true);
      expect(JSON.stringify(message.embeds)).toContain('la receta');
      const edits = editsOfOriginal(since);
      expect(edits.length).toBeGreaterThanOrEqual(3); // progress edits, then the final one
      const components = (c: (typeof edits)[number]) => ((c.body as { components?: unknown[] }).components ?? []).length;
      expect(edits.slice(0, -1).every((c) => components(c) === 0)).toBe(true);
      expect(components(edits.at(-1)!)).toBeGreaterThan(0);
      expect(h.fake.rejected()).toEqual([]);
    } finally {
      core.openai!.setStreaming({});
    }
  }, 60_000);
});

const answersOf = (id: string) => [...h.fake.world.messages.values()].filter((m) => m.interactionId === id && !m.loading && !m.deleted);
const rendered = (m: { content: string; embeds: unknown[] }) => `${m.content}\n${JSON.stringify(m.embeds)}`;

describe('Discord shows a role-play line while the model writes it', () => {
  it('in the thread, a reply grows by edits; the finished turn replaces it with the corrections, as one message', async () => {
    const start = h.fake.slashCommand({ name: 'simulate', options: { topic: 'at the bakery' }, user: h.alice });
    const thread = await h.fake.waitFor(() => h.fake.threads().find((c) => c.id === answersOf(start.id)[0]?.id), 30_000, 'the thread');
    await h.fake.waitFor(() => h.fake.botMessagesIn(thread.id).length === 1, 20_000, 'the opening line');
    const since = h.fake.calls.length;
    let grownBeforeRest: boolean | undefined;
    core.openai!.setStreaming({
      tokensPerSecond: 30,
      beforeChunk: async (sent) => {
        // Hold the rest of the reply (and the corrections after it) until a half-written line is on screen.
        if (grownBeforeRest !== undefined || !/"reply":"Muy bien, [^"]/.test(sent) || sent.includes('¿Algo más?')) return;
        grownBeforeRest = await h.fake
          .waitFor(() => h.fake.botMessagesIn(thread.id).some((m) => rendered(m).includes('Muy bien')), 15_000, 'the line so far')
          .then(
            () => true,
            () => false,
          );
      },
    });
    try {
      h.fake.sendMessage({ author: h.alice, channelId: thread.id, content: 'Hola, quiero pan.' });
      const turn = await h.fake.waitFor(
        () => h.fake.botMessagesIn(thread.id).find((m) => rendered(m).includes('quiero un pan')),
        30_000,
        'the finished turn with its correction',
      );
      expect(grownBeforeRest).toBe(true);
      expect(rendered(turn)).toContain('¿Algo más?');
      // The progress reply became the answer: no second message for the turn.
      expect(h.fake.botMessagesIn(thread.id)).toHaveLength(2);
      const edits = h.fake.calls.slice(since).filter((c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${turn.id}`));
      expect(edits.length).toBeGreaterThanOrEqual(1);
      // No corrections while the line was still being written.
      expect(edits.slice(0, -1).every((c) => !JSON.stringify(c.body).includes('quiero un pan'))).toBe(true);
      expect(h.fake.rejected()).toEqual([]);
    } finally {
      core.openai!.setStreaming({});
    }
  }, 90_000);
});
