// The bot's garbage-collector settings (src/heap-policy.ts), observed in a real node process: V8's pretenuring
// statistics (`--trace-pretenuring-statistics`) print a line per allocation site it judges, which happens only
// while allocation-site pretenuring is on. The workload keeps a batch of young objects alive, which makes V8
// pretenure their site when nothing stops it.
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const POLICY = pathToFileURL(join(import.meta.dirname, '../src/heap-policy.ts')).href;

/** Lines of V8's pretenuring statistics printed while the workload runs, with or without the policy applied. */
async function pretenuringLines(nodeFlags: string[], applyPolicy: boolean): Promise<number> {
  const script = `
    import { applyHeapPolicy } from ${JSON.stringify(POLICY)};
    ${applyPolicy ? 'applyHeapPolicy();' : ''}
    const kept = [];
    const make = (i) => ({ a: i, b: [i, i + 1], c: 'x' + i });
    for (let i = 0; i < 2e6; i++) { kept.push(make(i)); if (kept.length > 2e5) kept.length = 0; }
    console.log('done');`;
  const { stdout } = await run(process.execPath, [...nodeFlags, '--trace-pretenuring-statistics', '--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 16 * 1024 * 1024 });
  expect(stdout).toContain('done');
  return stdout.split('\n').filter((line) => line.includes('pretenuring:')).length;
}

describe('heap policy', () => {
  it('turns allocation-site pretenuring off', async () => {
    expect(await pretenuringLines([], false)).toBeGreaterThan(0); // the workload does make V8 pretenure
    expect(await pretenuringLines([], true)).toBe(0);
  }, 60_000);

  it('leaves pretenuring on when node was started with --allocation-site-pretenuring', async () => {
    expect(await pretenuringLines(['--allocation-site-pretenuring'], true)).toBeGreaterThan(0);
    expect(await pretenuringLines(['--allocation_site_pretenuring'], true)).toBeGreaterThan(0);
  }, 60_000);
});
