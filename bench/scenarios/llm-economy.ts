// Item 5: LLM economy. Prompt and completion tokens per flashcard set, exercise set and simulation turn, as
// the fake server counts them (ceil(characters / 4), the same rule for prompt and completion, so figures
// compare with each other, not with a real tokenizer); the shared prompt prefix (the system message); and
// tokens per simulation turn at turns 5, 20 and 50, which must stay bounded (SIMULATION_CONTEXT_TURNS).
import type { Incoming } from '../../src/commands/front-door.ts';
import { TUTOR_SYSTEM_PROMPT } from '../../src/core/content/prompts.ts';
import { loadConfig } from '../../src/config.ts';
import { fakeTokenCount, type FakeOpenAI } from '../../test/support/fake-openai.ts';
import { figure, type Figure, type Scenario, type ScenarioContext } from '../types.ts';
import { benchCore, startFakeTutorLlm } from '../support/core.ts';
import { silentLogger } from '../support/silent-logger.ts';
import { withTimeout } from '../support/stats.ts';

const TURNS = 50;
const LINES = ['Hola, quiero pan', '¿Cuánto cuesta la barra?', 'Quiero dos croissants también', 'Gracias, ¿aceptan tarjeta?', 'Perfecto, hasta luego'];

async function usageOf(llm: FakeOpenAI, run: () => Promise<unknown>): Promise<{ prompt: number; completion: number; calls: number }> {
  const before = llm.usageTotals();
  const calls = llm.requests.length;
  await run();
  const after = llm.usageTotals();
  return { prompt: after.promptTokens - before.promptTokens, completion: after.completionTokens - before.completionTokens, calls: llm.requests.length - calls };
}

export const llmEconomy: Scenario = {
  id: 'llm-economy',
  title: 'LLM economy',
  async run(ctx: ScenarioContext) {
    const llm = await startFakeTutorLlm();
    const bench = await benchCore(llm.url);
    try {
      const frontDoor = bench.core.frontDoor;
      const incoming: Incoming = {
        user: { platform: 'console', externalId: 'economy', displayName: 'Ana', locale: 'en' },
        conversation: { platform: 'console', chatId: 'economy', isGroup: false },
        log: silentLogger(),
      };
      const say = async (text: string) => {
        const replies = await withTimeout(frontDoor.text(incoming, text, { addressed: true }), 15_000, text);
        if (!replies || replies.length === 0) throw new Error(`no reply to ${text}`);
        return replies;
      };
      const contextTurns = loadConfig({}).SIMULATION_CONTEXT_TURNS;
      ctx.progress('flashcards, exercises, a simulation of 50 turns');
      await say('/settings lang:Spanish base:en level:A2');
      const flashcards = await usageOf(llm, () => say('/flashcards kitchen words for my job as a chef'));
      const exercises = await usageOf(llm, () => say('/exercises cooking verbs'));
      const setup = await usageOf(llm, () => say('/simulate ordering bread at a bakery'));
      const turns: Array<{ prompt: number; completion: number; calls: number }> = [];
      for (let i = 0; i < TURNS; i++) turns.push(await usageOf(llm, () => say(LINES[i % LINES.length]!)));

      const prefixTokens = fakeTokenCount(TUTOR_SYSTEM_PROMPT);
      const differentPrefix = llm.requests.filter((r) => r.messages[0]?.content !== TUTOR_SYSTEM_PROMPT).length;
      const single = (u: { calls: number }) => (u.calls === 1 ? '1 LLM call' : `${u.calls} LLM calls (repairs included)`);
      const prefix = { name: 'shared prefix (system message)', value: prefixTokens };
      const at = (n: number) => turns[n - 1]!;
      const figures: Figure[] = [
        figure({ name: 'tokens: shared prompt prefix (the system message, first in every request)', value: prefixTokens, unit: 'tokens', note: `${TUTOR_SYSTEM_PROMPT.length} characters; identical in ${llm.requests.length - differentPrefix} of ${llm.requests.length} requests, so a provider's prompt cache can reuse it` }),
        figure({ name: 'tokens: requests whose first message is not the shared prefix', value: differentPrefix, unit: 'requests', target: '= 0', met: differentPrefix === 0 }),
        figure({ name: 'tokens: flashcard set (default count), prompt', value: flashcards.prompt, unit: 'tokens', reference: prefix, note: single(flashcards) }),
        figure({ name: 'tokens: flashcard set, completion', value: flashcards.completion, unit: 'tokens' }),
        figure({ name: 'tokens: exercise set (default count), prompt', value: exercises.prompt, unit: 'tokens', reference: prefix, note: single(exercises) }),
        figure({ name: 'tokens: exercise set, completion', value: exercises.completion, unit: 'tokens' }),
        figure({ name: 'tokens: simulation set-up (scenario), prompt + completion', value: setup.prompt + setup.completion, unit: 'tokens', note: `${setup.prompt} prompt + ${setup.completion} completion; ${single(setup)}` }),
      ];
      for (const n of [5, 20, 50]) {
        const u = at(n);
        figures.push(
          figure({
            name: `tokens: simulation turn ${n}, prompt`,
            value: u.prompt,
            unit: 'tokens',
            ...(n > 5 ? { reference: { name: 'turn 5', value: at(5).prompt } } : { reference: prefix }),
            note: `completion ${u.completion} tokens; ${single(u)}`,
          }),
        );
      }
      // Bounded: once the history window is full (SIMULATION_CONTEXT_TURNS turns), the prompt stops growing.
      const grow = at(50).prompt / at(20).prompt;
      figures.push(
        figure({
          name: `tokens: simulation prompt growth from turn 20 to turn 50 (SIMULATION_CONTEXT_TURNS=${contextTurns})`,
          value: at(50).prompt,
          unit: 'tokens',
          reference: { name: 'turn 20', value: at(20).prompt },
          target: '≤ 1.05× reference (bounded)',
          met: grow <= 1.05,
          note: `largest prompt over all ${TURNS} turns: ${Math.max(...turns.map((t) => t.prompt))} tokens`,
        }),
      );
      return figures;
    } finally {
      await bench.close();
      await llm.close();
    }
  },
};
