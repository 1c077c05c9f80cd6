// `npm run bench`: runs every scenario in sequence on this machine, prints one line per figure next to its
// reference measured in the same run, and rewrites the generated section of docs/benchmarks.md.
//
//   npm run bench                                   all scenarios (SQLite only)
//   BENCH_POSTGRES_URL=postgresql://… npm run bench  PostgreSQL figures too (a scratch database is created and dropped)
//   npm run bench -- --only=activity-log,startup    some scenarios; docs/benchmarks.md is then left alone
//   npm run bench -- --no-write                      print only
//
// Not part of `npm test`: tests never assert on wall-clock time. Only 127.0.0.1 traffic.
import { loadavg } from 'node:os';
import { activityLogThroughput } from './scenarios/activity-log-throughput.ts';
import { requestPath } from './scenarios/request-path.ts';
import { manyLearners } from './scenarios/many-learners.ts';
import { startup } from './scenarios/startup.ts';
import { llmEconomy } from './scenarios/llm-economy.ts';
import { personalPrompt } from './scenarios/personal-prompt.ts';
import { languageId } from './scenarios/language-id.ts';
import { firstContent } from './scenarios/first-content.ts';
import { printFigure, writeReport, type ScenarioResult } from './report.ts';
import { figure, type Scenario } from './types.ts';

const SCENARIOS: Scenario[] = [activityLogThroughput, requestPath, manyLearners, startup, llmEconomy, personalPrompt, languageId, firstContent];
/** The whole run must stay under 5 minutes; a scenario that would start after this is skipped and reported. */
const RUN_BUDGET_MS = 270_000;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const write = !args.includes('--no-write') && !only;
  const postgresUrl = process.env.BENCH_POSTGRES_URL?.trim() || undefined;
  const selected = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;
  if (selected.length === 0) {
    process.stderr.write(`No scenario matches --only; known: ${SCENARIOS.map((s) => s.id).join(', ')}\n`);
    return 2;
  }

  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    const t0 = Date.now();
    process.stdout.write(`\n== ${scenario.title}\n`);
    if (Date.now() - started > RUN_BUDGET_MS) {
      const skipped = figure({ name: `${scenario.title}: skipped`, value: Number.NaN, unit: '', met: false, note: 'run time budget (5 min) used up' });
      printFigure(skipped);
      results.push({ scenario, figures: [skipped], seconds: 0 });
      continue;
    }
    try {
      const figures = await scenario.run({
        postgresUrl,
        progress: (message) => process.stderr.write(`   … ${message}\n`),
      });
      for (const f of figures) printFigure(f);
      results.push({ scenario, figures, seconds: (Date.now() - t0) / 1000 });
    } catch (error) {
      const failed = figure({
        name: `${scenario.title}: failed`,
        value: Number.NaN,
        unit: '',
        met: false,
        note: `${(error as Error).message ?? String(error)}`.split('\n').slice(0, 3).join(' '),
      });
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      printFigure(failed);
      results.push({ scenario, figures: [failed], seconds: (Date.now() - t0) / 1000 });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\nWhole run: ${seconds.toFixed(1)} s\n`);
  const missed = results.flatMap((r) => r.figures).filter((f) => f.met === false);
  if (missed.length > 0) process.stdout.write(`${missed.length} figure(s) MISSED their target (see above and docs/benchmarks.md)\n`);
  if (write) {
    const path = await writeReport(results, { seconds, postgres: Boolean(postgresUrl), loadAtStart, loadAtEnd: loadavg()[0]! });
    process.stdout.write(`Wrote ${path}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
