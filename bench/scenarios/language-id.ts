// Language identification (issue 14): the detector the bot loads (eld, extra-small database) next to tinyld, on
// the labelled set of test/language/labelled-sentences.ts with the bot's wrong-language rule: identification
// accuracy, precision and recall of "wrong language", time per sentence, and the cost of loading each one in a
// fresh process (time to first answer, RSS after a forced GC). The reference of each figure is the same figure
// of eld, measured in this run. eld's small/medium/large databases were measured too (docs/benchmarks.md):
// more accurate on single words, at 150–380 MB of RSS.
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../../src/core/paths.ts';
import { eldIdentifier, type LanguageIdentifier } from '../../src/core/language/detector.ts';
import { HARD_CASES, SENTENCES } from '../../test/language/labelled-sentences.ts';
import { scoreWrongLanguage } from '../../test/language/score.ts';
import { figure, type Figure, type Scenario } from '../types.ts';

const TIMING_ROUNDS = 5;

interface Candidate {
  name: string;
  /** The module a process imports to load it. */
  module: string;
  /** A call that makes it identify one text, in the child (the module is `m`). */
  firstCall: string;
  load(): Promise<LanguageIdentifier>;
}

const CANDIDATES: Candidate[] = [
  {
    name: 'eld (extra-small)',
    module: 'eld/extrasmall',
    firstCall: "m.eld.detect('Hola, ¿cómo estás? Quiero una taza de café.')",
    load: async () => eldIdentifier((await import('eld/extrasmall')).eld as Parameters<typeof eldIdentifier>[0]),
  },
  {
    name: 'tinyld',
    module: 'tinyld',
    firstCall: "m.detectAll('Hola, ¿cómo estás? Quiero una taza de café.')",
    load: async () => {
      const tinyld = await import('tinyld');
      const known = new Set(tinyld.supportedLanguages.map((code) => tinyld.toISO2(code)));
      return {
        identify(text: string) {
          const all = tinyld.detectAll(text);
          return { language: all[0]?.lang ?? '', scores: Object.fromEntries(all.map((a) => [a.lang, a.accuracy])), reliable: all.length > 0 };
        },
        supports: (language: string) => known.has(language),
      };
    },
  },
];

/** Load time (ms) and RSS growth (MiB, after a forced GC) of importing a detector in a fresh Node process. */
function loadCost(candidate: Candidate): { ms: number; rssMiB: number } {
  const code = [
    'const gc = globalThis.gc; gc(); gc();',
    'const before = process.memoryUsage().rss; const t0 = performance.now();',
    `const m = await import(${JSON.stringify(candidate.module)}); ${candidate.firstCall};`,
    'const ms = performance.now() - t0; gc(); gc();',
    'await new Promise((r) => setTimeout(r, 200)); gc();',
    'console.log(JSON.stringify({ ms, rssMiB: (process.memoryUsage().rss - before) / 1048576 }));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { cwd: projectRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', MALLOC_ARENA_MAX: '2' } });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; rssMiB: number };
}

function microsecondsPerSentence(identifier: LanguageIdentifier): number {
  const texts = Object.values(SENTENCES).flat();
  for (const text of texts) identifier.identify(text); // warm-up
  const started = performance.now();
  let read = 0; // every answer read whole (eld works its scores out only when they are read)
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    for (const text of texts) {
      const found = identifier.identify(text);
      read += Object.keys(found.scores).length + (found.reliable ? 1 : 0);
    }
  }
  if (read < 0) throw new Error('unreachable');
  return ((performance.now() - started) * 1000) / (TIMING_ROUNDS * texts.length);
}

export const languageId: Scenario = {
  id: 'language-id',
  title: 'Language identification',
  async run(ctx) {
    const results = [];
    for (const candidate of CANDIDATES) {
      ctx.progress(`${candidate.name}: load cost in a fresh process`);
      const cost = loadCost(candidate);
      const identifier = await candidate.load();
      const score = scoreWrongLanguage(identifier, SENTENCES, HARD_CASES);
      results.push({ candidate, cost, score, us: microsecondsPerSentence(identifier) });
    }
    const [chosen, ...others] = results;
    const figures: Figure[] = [];
    for (const r of [chosen!, ...others]) {
      const ref = r === chosen ? undefined : chosen!;
      const name = r.candidate.name;
      figures.push(
        figure({ name: `${name}: identification accuracy`, value: r.score.accuracy * 100, unit: '%', note: `${r.score.sentences - r.score.tooShort} sentences, 17 languages` }),
        figure({
          name: `${name}: wrong-language precision`,
          value: r.score.precision * 100,
          unit: '%',
          ...(r === chosen ? { target: '100 % (no false alarm)', met: r.score.falseAlarms === 0 } : {}),
          note: `${r.score.falseAlarms} false alarms; hard cases (words, names, loanwords) flagged: ${r.score.hardFlagged}/${HARD_CASES.length}`,
        }),
        figure({
          name: `${name}: wrong-language recall`,
          value: r.score.recall * 100,
          unit: '%',
          ...(r === chosen ? { target: '≥ 95 %', met: r.score.recall >= 0.95 } : {}),
          note: `${r.score.caught}/${r.score.clearCases} clear cases`,
        }),
        figure({ name: `${name}: time per sentence`, value: r.us, unit: 'µs', ...(ref ? { reference: { name: `${ref.candidate.name}`, value: ref.us } } : {}) }),
        figure({ name: `${name}: load time (first use)`, value: r.cost.ms, unit: 'ms', ...(ref ? { reference: { name: `${ref.candidate.name}`, value: ref.cost.ms } } : {}) }),
        figure({
          name: `${name}: RSS once loaded`,
          value: r.cost.rssMiB,
          unit: 'MiB',
          ...(ref ? { reference: { name: `${ref.candidate.name}`, value: ref.cost.rssMiB } } : {}),
          note: 'loaded on the first generation, not at start-up: idle RSS does not include it',
        }),
      );
    }
    return figures;
  },
};
