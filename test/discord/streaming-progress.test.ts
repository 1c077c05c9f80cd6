// A slow answer on Discord through the real core and the real openai SDK against a fake model that writes
// slowly: the deferred reply is edited with the cards as they complete, at most once per 1.5 s (the fake
// Discord refuses a sooner edit of the same message with 429, so no rejected call proves compliance), and the
// final edit brings the buttons, then the rating reactions. The model holds the rest of its stream until the
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
  it('/flashcards count:8: the deferred reply shows the first card before the rest is sent; the final edit adds buttons and reactions', async () => {
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
        () => [...h.fake.world.messages.values()].find((m) => m.interactionId === i.id && m.reactions.length === 5),
        30_000,
        'the final cards with reactions',
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
