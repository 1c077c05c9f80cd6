// Issue 14, item 6: the prompt stays cacheable and bounded with personalisation. Prompt tokens of a
// /flashcards request (the first request of the set, as the fake server counts them: ceil(characters / 4))
// for a learner with a deck of 500 cards, against the same request for a learner with an empty deck, both
// measured here in the same run. The known words go after the shared system prefix, bounded by
// KNOWN_PROMPT_MAX_CHARS (src/core/services/personalisation.ts).
import type { Incoming } from '../../src/commands/front-door.ts';
import { TUTOR_SYSTEM_PROMPT } from '../../src/core/content/prompts.ts';
import { fakeTokenCount } from '../../test/support/fake-openai.ts';
import { KNOWN_PROMPT_MAX_CHARS } from '../../src/core/services/personalisation.ts';
import { figure, type Scenario } from '../types.ts';
import { benchCore, startFakeTutorLlm } from '../support/core.ts';
import { silentLogger } from '../support/silent-logger.ts';

const DECK = 500;

export const personalPrompt: Scenario = {
  id: 'personal-prompt',
  title: 'Personalised prompt size',
  async run(ctx) {
    const llm = await startFakeTutorLlm();
    const bench = await benchCore(llm.url);
    try {
      const { frontDoor, services } = bench.core;
      const learner = (id: string): Incoming => ({
        user: { platform: 'console', externalId: id, displayName: id, locale: 'en' },
        conversation: { platform: 'console', chatId: id, isGroup: false },
        log: silentLogger(),
      });
      const say = (who: Incoming, text: string) => frontDoor.text(who, text, { addressed: true });
      /** Prompt tokens of the first request a command sends (the set itself, not a follow-up). */
      const firstPrompt = async (who: Incoming, text: string) => {
        const before = llm.requests.length;
        await say(who, text);
        const request = llm.requests[before]!;
        return { tokens: request.messages.reduce((n, m) => n + fakeTokenCount(m.content), 0), prefixFirst: request.messages[0]!.content === TUTOR_SYSTEM_PROMPT };
      };

      ctx.progress(`a learner with an empty deck and one with ${DECK} cards ask for the same flashcards`);
      const fresh = learner('fresh');
      const veteran = learner('veteran');
      for (const who of [fresh, veteran]) await say(who, '/settings lang:Spanish base:en level:A2');
      const me = await services.learners.resolve(veteran.user);
      const cards = Array.from({ length: DECK }, (_, i) => ({ word: `la palabra${i}`, translation: `word ${i}`, example: `Uso la palabra${i} en la cocina.`, exampleTranslation: `I use word ${i} in the kitchen.` }));
      await services.reviews.addFlashcards(me, null, { title: 'deck', cards }, 'es');

      const without = await firstPrompt(fresh, '/flashcards kitchen words for my job as a chef');
      const withDeck = await firstPrompt(veteran, '/flashcards kitchen words for my job as a chef');
      const ratio = withDeck.tokens / without.tokens;
      return [
        figure({
          name: `prompt tokens: /flashcards with a deck of ${DECK} cards`,
          value: withDeck.tokens,
          unit: 'tokens',
          reference: { name: 'the same request, empty deck (no personalisation)', value: without.tokens },
          target: '≤ 1.3× reference',
          met: ratio <= 1.3 && withDeck.prefixFirst && without.prefixFirst,
          note: `known words in the prompt bounded to ${KNOWN_PROMPT_MAX_CHARS} characters, after the shared system prefix (${withDeck.prefixFirst ? 'first and unchanged' : 'NOT first'})`,
        }),
      ];
    } finally {
      await bench.close();
      await llm.close();
    }
  },
};
