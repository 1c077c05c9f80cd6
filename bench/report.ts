// Prints figures (one line each, next to the reference measured in the same run) and rewrites the generated
// section of docs/benchmarks.md. Everything outside the markers is hand-written and kept as it is.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../src/core/paths.ts';
import type { Figure, Scenario } from './types.ts';

export interface ScenarioResult {
  scenario: Scenario;
  figures: Figure[];
  seconds: number;
}

export const REPORT_PATH = join(projectRoot, 'docs', 'benchmarks.md');
const START = '<!-- bench:generated:start (npm run bench rewrites everything up to the end marker) -->';
const END = '<!-- bench:generated:end -->';

/** Numbers as people read them: 3 significant digits for small values, thin-space thousands for large ones. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (Number.isInteger(n)) return String(n);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return '0';
  return n.toPrecision(2);
}

function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '';
  return r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

function status(f: Figure): string {
  if (f.met === undefined) return 'info';
  return f.met ? 'met' : 'MISSED';
}

export function printFigure(f: Figure): void {
  const mark = f.met === undefined ? '·' : f.met ? '✔' : '✘';
  const parts = [`${mark} ${f.name}: ${formatNumber(f.value)}${f.unit ? ` ${f.unit}` : ''}`];
  if (f.reference) parts.push(`ref ${f.reference.name}: ${formatNumber(f.reference.value)}${f.unit ? ` ${f.unit}` : ''}`);
  if (f.ratio !== undefined) parts.push(`ratio ${formatRatio(f.ratio)}`);
  if (f.target) parts.push(`target ${f.target}: ${status(f)}`);
  if (f.note && (f.met === false || f.met === undefined)) parts.push(f.note);
  process.stdout.write(`  ${parts.join(' | ')}\n`);
}

export function machine(): Record<string, string> {
  const cpu = cpus();
  return {
    CPU: `${cpu[0]?.model.trim() ?? 'unknown'}`,
    Cores: `${cpu.length}`,
    Memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the start)`,
    OS: `${type()} ${release()}`,
    Node: process.version,
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface RunInfo {
  seconds: number;
  postgres: boolean;
  loadAtStart: number;
  loadAtEnd: number;
}

function generatedSection(results: ScenarioResult[], run: RunInfo): string {
  const lines: string[] = [START, '', '## Results (generated)', ''];
  const m = machine();
  lines.push(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`${run.postgres ? 'BENCH_POSTGRES_URL=postgresql://… ' : ''}npm run bench\` in ${run.seconds.toFixed(0)} s.`, '');
  lines.push('| Machine | |', '|---|---|');
  for (const [k, v] of Object.entries(m)) lines.push(`| ${k} | ${cell(v)} |`);
  lines.push(`| Load average (1 min) | ${run.loadAtStart.toFixed(2)} at the start, ${run.loadAtEnd.toFixed(2)} at the end (other processes share the cores) |`);
  if (!run.postgres) lines.push('| PostgreSQL | not measured (BENCH_POSTGRES_URL not set) |');
  lines.push('');
  const missed = results.flatMap((r) => r.figures).filter((f) => f.met === false);
  lines.push(missed.length === 0 ? 'Every target was met.' : `**${missed.length} target(s) MISSED** — the reason is in the Note column.`, '');
  for (const r of results) {
    lines.push(`### ${r.scenario.title}`, '', `(${r.seconds.toFixed(1)} s)`, '');
    lines.push('| Figure | Value | Reference (same run) | Ratio | Target | Result | Note |', '|---|---:|---|---:|---|---|---|');
    for (const f of r.figures) {
      const unit = f.unit ? ` ${f.unit}` : '';
      const ref = f.reference ? `${cell(f.reference.name)}: ${formatNumber(f.reference.value)}${unit}` : '';
      const result = f.met === undefined ? '' : f.met ? 'met' : '**MISSED**';
      lines.push(`| ${cell(f.name)} | ${formatNumber(f.value)}${unit} | ${ref} | ${formatRatio(f.ratio)} | ${cell(f.target ?? '')} | ${result} | ${cell(f.note ?? '')} |`);
    }
    lines.push('');
  }
  lines.push(END);
  return lines.join('\n');
}

const DEFAULT_HEAD = `# Benchmarks

\`npm run bench\` (not part of \`npm test\`) measures this machine and rewrites the generated section below.
Everything outside the generated section is hand-written and kept.

`;

/** Rewrites the generated section of docs/benchmarks.md (creating the file if needed); returns its path. */
export async function writeReport(results: ScenarioResult[], run: RunInfo): Promise<string> {
  const section = generatedSection(results, run);
  let text = existsSync(REPORT_PATH) ? readFileSync(REPORT_PATH, 'utf8') : DEFAULT_HEAD;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) {
    text = text.slice(0, start) + section + text.slice(end + END.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  mkdirSync(dirname(REPORT_PATH), { recursive: true });
  writeFileSync(REPORT_PATH, text);
  return REPORT_PATH;
}
