// The dashboard in a real browser, after a session as a learner and an operator would have it: the terminal
// chat (`node dist/main.js --chat`, what `npm run chat` runs) with HEALTH_PORT and ADMIN_TOKEN, against the
// fake OpenAI server; a learner asks for flashcards and rates them 1 with a comment, and exercises rated 5.
// Then Chromium (Debian's, driven by playwright-core) logs in through the form, opens every page by its link,
// checks the charts are images that loaded, that the worst item is the one rated 1 with its query and prompt
// version, that the CSP blocked nothing, and saves a screenshot of each page under test-artifacts/admin/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../../src/core/paths.ts';
import { openDatabase } from '../../src/core/db/client.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { sqliteTestDatabase, type TestDatabase } from '../support/databases.ts';
import { adminToken, openaiProjectKey } from '../support/fake-secrets.ts';
import { tutorContent } from '../support/tutor-responder.ts';
import { spawnTutor, type TutorProcess } from '../support/tutor-process.ts';
import { freePort } from '../scale/support/services.ts';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run does): browser test skipped`;
const ARTIFACTS = join(projectRoot, 'test-artifacts', 'admin');

/** Each step of the set-up on its own clock, so that a slow one says which it was (not just "hook timed out"). */
const STEP_TIMEOUT_MS = 30_000;

/** Resolves once the child's stdout satisfies `ready` (checked on every chunk it writes). */
function untilOutput(child: TutorProcess, ready: (out: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${what} after ${STEP_TIMEOUT_MS} ms; output:\n${child.stdoutText().slice(-2000)}\n${child.stderrText().slice(-2000)}`));
    }, STEP_TIMEOUT_MS);
    const check = () => {
      if (!ready(child.stdoutText())) return;
      cleanup();
      resolve(child.stdoutText());
    };
    const exit = () => {
      cleanup();
      reject(new Error(`the chat exited while waiting for ${what}; output:\n${child.stdoutText()}\n${child.stderrText()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', exit);
    };
    const onData = () => setImmediate(check);
    child.stdout.on('data', onData);
    child.once('exit', exit);
    check();
  });
}

describe.skipIf(SKIP)(`the dashboard in Chromium${SKIP ? ` (${SKIP})` : ''}`, () => {
  let openai: FakeOpenAI;
  let db: TestDatabase;
  let chat: TutorProcess;
  let browser: Browser | undefined;
  let port: number;
  const token = adminToken();

  beforeAll(async () => {
    openai = await startFakeOpenAI();
    openai.respondWith((req) => tutorContent(req));
    db = sqliteTestDatabase();
    port = await freePort();
    chat = spawnTutor(['--chat'], {
      DATABASE_URL: db.url,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: openaiProjectKey('fake-for-the-local-server'),
      OPENAI_MODEL: 'fake-model',
      HEALTH_PORT: String(port),
      HEALTH_HOST: '127.0.0.1',
      ADMIN_TOKEN: token,
    });
    await untilOutput(chat, (o) => o.includes('Language tutor ready'), 'the start');
    const say = async (line: string, answer: (out: string) => boolean, what: string) => {
      const before = chat.stdoutText().length;
      chat.stdin.write(`${line}\n`);
      await untilOutput(chat, (o) => answer(o.slice(before)), what);
    };
    await say('/settings lang:es base:en level:A2', (o) => o.includes('A2'), 'the settings');
    await say('/flashcards kitchen words for my job as a chef count:3', (o) => o.includes('/rate 1-5'), 'the flashcards');
    await say('/rate 1', (o) => o.includes('1/5'), 'the rating 1');
    await say('/feedback the words are far too hard for A2', (o) => o.includes('Thank you for your feedback'), 'the feedback');
    await say('/exercises cooking verbs count:2', (o) => o.includes('Question 1 of 2'), 'the exercises');
    await say('/rate 5', (o) => o.includes('5/5'), 'the rating 5');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: 60_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (chat && chat.exitCode === null) {
      chat.stdin.end();
      await chat.exited;
    }
    await openai?.close();
    await db?.drop();
  });

  it('logs in with the form, opens every page by its link, shows the charts and the worst item with its query and prompt version', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const base = `http://127.0.0.1:${port}`;

    // Not logged in: 401 with a link to the form.
    expect((await page.goto(`${base}/admin`))!.status()).toBe(401);
    await page.click('a[href="/admin/login"]');
    await page.fill('input[name="token"]', `${token}-wrong`);
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('body')).toContain('The token is not right.');
    await page.fill('input[name="token"]', token);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type="submit"]')]);
    const cookie = (await context.cookies()).find((c) => c.name === 'tutor_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie.expires).toBeGreaterThan(Date.now() / 1000);

    // The overview's charts are images that loaded.
    await page.waitForLoadState('load');
    // In the page: HTMLImageElement's naturalWidth (no DOM types in this project's compiler settings).
    type Img = { getAttribute(name: string): string | null; naturalWidth: number; complete: boolean };
    const charts = await page.$$eval('img.chart', (images) => (images as unknown as Img[]).map((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth, complete: img.complete })));
    expect(charts).toHaveLength(4);
    for (const chart of charts) expect(chart, chart.src ?? '').toMatchObject({ complete: true, width: 800 });
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });

    const generations = await readGenerations(db.url);
    const rated1 = generations.find((g) => g.contentType === 'flashcards')!;
    expect(rated1.promptVersion).toMatch(/^[0-9a-f]{8}$/);

    for (const [label, file] of [
      ['Quality', 'quality'],
      ['Worst items', 'worst'],
      ['Learners', 'learners'],
      ['Activity log', 'activity'],
      ['CSV exports', 'exports'],
      ['Overview', 'overview-again'],
    ] as const) {
      await Promise.all([page.waitForLoadState('load'), page.click(`nav a:text-is("${label}")`)]);
      expect(await page.textContent('h1')).toBe(label);
      if (label === 'Worst items') {
        const first = page.locator('article.worst').first();
        expect(await first.locator('h2').textContent()).toContain(`#${rated1.id} · 1.00 / 5`);
        expect(await first.locator('td.query').textContent()).toBe('kitchen words for my job as a chef');
        expect(await first.locator('td.prompt-version').textContent()).toBe(rated1.promptVersion);
        expect(await first.textContent()).toContain('the words are far too hard for A2');
      }
      if (label === 'Quality') expect(await page.textContent('table')).toContain(rated1.promptVersion!);
      await page.screenshot({ path: join(ARTIFACTS, `${file}.png`), fullPage: true });
    }
    expect(blocked).toEqual([]);
    await context.close();
    console.info(`dashboard screenshots: ${ARTIFACTS}`);
  }, 120_000);
});

async function readGenerations(url: string) {
  const database = await openDatabase(url, { migrate: false });
  try {
    return await database.prisma.generation.findMany({ orderBy: { id: 'asc' } });
  } finally {
    await database.close();
  }
}
