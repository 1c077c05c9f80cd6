// The operator dashboard over HTTP, on the ops server a bot process starts (HEALTH_PORT), after a session of
// generations and ratings through the real command path (front door, fake OpenAI server, real database):
// auth (no token, wrong token, expired and forged cookies, Bearer, the login form), every page, the charts, the
// CSV exports (with CSV injection escaped) and untrusted text escaped in HTML. On SQLite, and on PostgreSQL
// when TEST_POSTGRES_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOps } from '../../src/ops/index.ts';
import type { OpsServer } from '../../src/ops/server.ts';
import { createAdminAuth, SESSION_TTL_MS } from '../../src/ops/admin/auth.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { PROVIDERS } from '../support/databases.ts';
import { adminToken } from '../support/fake-secrets.ts';
import { incomingFrom, replyText } from '../support/incoming.ts';

const HOSTILE_FEEDBACK = `=HYPERLINK("http://evil.invalid") <script>alert('x')</script>`;
const HOSTILE_QUERY = `kitchen <img src=x onerror=alert(1)> words`;

for (const provider of PROVIDERS) {
  describe.skipIf(provider.skip)(`the /admin dashboard (${provider.name})${provider.skip ? ` (${provider.skip})` : ''}`, () => {
    let t: TestCore;
    let ops: OpsServer;
    const token = adminToken();
    let base: string;

    beforeAll(async () => {
      const database = await provider.create();
      t = await createTestCore({ database, env: { ADMIN_TOKEN: token, USER_CALLS_PER_MINUTE: '3', LLM_PRICE_INPUT_PER_MTOK: '0.15', LLM_PRICE_OUTPUT_PER_MTOK: '0.6' } });
      const close = t.close;
      t.close = async () => {
        await close();
        await database.drop();
      };
      ops = await startOps(t.core, () => [], t.logger, 0);
      base = `http://127.0.0.1:${ops.port}`;
      // A session: Ana gets flashcards and rates them 1 with a hostile feedback text; Ben rates exercises 5;
      // Cleo asks four times within a minute (the fourth is refused by the per-minute limit).
      const ana = incomingFrom(t.logger, { id: 'ana', name: 'Ana' });
      const ben = incomingFrom(t.logger, { id: 'ben', name: 'Ben' });
      const cleo = incomingFrom(t.logger, { id: 'cleo', name: 'Cleo' });
      const say = async (who: typeof ana, text: string) => replyText(await t.frontDoor.text(who, text, { addressed: true }));
      expect(await say(ana, `/flashcards ${HOSTILE_QUERY} count:3`)).toContain('el cuchillo');
      expect(await say(ana, '/rate 1')).toContain('1/5');
      await say(ana, `/feedback ${HOSTILE_FEEDBACK}`);
      await say(ben, '/exercises cooking verbs count:2');
      expect(await say(ben, '/rate 5')).toContain('5/5');
      for (let i = 0; i < 3; i += 1) await say(cleo, `/flashcards travel words ${i} count:2`);
      expect(await say(cleo, '/flashcards one more count:2')).toMatch(/going fast/);
      await t.core.activityLog.flush();
    }, 60_000);
    afterAll(async () => {
      await ops?.close();
      await t?.close();
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' });
    const bearer = { authorization: `Bearer ${token}` };
    const page = async (path: string) => {
      const response = await get(path, bearer);
      expect(response.status, path).toBe(200);
      return response.text();
    };

    it('refuses without a token, with a wrong token, with an expired or forged cookie; takes the Bearer token', async () => {
      expect((await get('/admin')).status).toBe(401);
      expect((await get('/admin/quality')).status).toBe(401);
      expect((await get('/admin/export/feedback.csv')).status).toBe(401);
      expect((await get('/admin/chart/ratings.png')).status).toBe(401);
      expect((await get('/admin', { authorization: `Bearer ${token}x` })).status).toBe(401);
      expect((await get('/admin', { authorization: 'Bearer ' })).status).toBe(401);
      expect((await get('/admin', { authorization: `Bearer ${token.slice(0, -1)}` })).status).toBe(401);
      // An expired session: signed with the right key at a time more than a session ago.
      const past = createAdminAuth(token, () => Date.now() - SESSION_TTL_MS - 1000).sessionCookie().split(';')[0]!;
      expect((await get('/admin', { cookie: past })).status).toBe(401);
      // A session signed with another token.
      const forged = createAdminAuth(adminToken()).sessionCookie().split(';')[0]!;
      expect((await get('/admin', { cookie: forged })).status).toBe(401);
      expect((await get('/admin', { cookie: 'tutor_admin=99999999999999.AAAA' })).status).toBe(401);
      // The positive controls: the token, and a fresh session of the right key.
      expect((await get('/admin', bearer)).status).toBe(200);
      const fresh = createAdminAuth(token).sessionCookie().split(';')[0]!;
      expect((await get('/admin', { cookie: fresh })).status).toBe(200);
    });

    it('logs in through the form: a wrong token gets 401, the right one a HttpOnly SameSite=Strict expiring cookie', async () => {
      const post = (value: string) =>
        fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: value }), redirect: 'manual' });
      const wrong = await post('not-the-token');
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const right = await post(token);
      expect(right.status).toBe(303);
      expect(right.headers.get('location')).toBe('/admin');
      const cookie = right.headers.get('set-cookie')!;
      expect(cookie).not.toMatch(/Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Max-Age=\d+/);
      const session = cookie.split(';')[0]!;
      expect((await get('/admin/worst', { cookie: session })).status).toBe(200);
      // Behind a TLS proxy it is Secure too.
      const proxied = await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token }), redirect: 'manual' });
      expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/);
      // Logging out clears it.
      const out = await fetch(`${base}/admin/logout`, { method: 'POST', headers: { cookie: session }, redirect: 'manual' });
      expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    });

    it('a session from one bot process is valid on another of the same deployment, which shows the same data', async () => {
      const other = await createTestCore({ database: { url: t.core.config.DATABASE_URL!, drop: async () => {} }, env: { ADMIN_TOKEN: token } });
      const otherOps = await startOps(other.core, () => [], other.logger, 0);
      try {
        const login = await fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
        const session = login.headers.get('set-cookie')!.split(';')[0]!;
        const there = await fetch(`http://127.0.0.1:${otherOps.port}/admin/worst`, { headers: { cookie: session } });
        expect(there.status).toBe(200);
        const [rated1] = await t.prisma.generation.findMany({ orderBy: { id: 'asc' }, take: 1 });
        expect(await there.text()).toContain(`#${rated1!.id} · 1.00 / 5`);
      } finally {
        await otherOps.close();
        await other.close();
      }
    });

    it('every page is linked from /admin and sends a CSP without inline scripts', async () => {
      const response = await get('/admin', bearer);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const overview = await response.text();
      for (const path of ['/admin/quality', '/admin/worst', '/admin/learners', '/admin/activity', '/admin/exports']) {
        expect(overview).toContain(`href="${path}"`);
        expect(await page(path)).toContain('<h1>');
      }
      expect(overview).not.toMatch(/<script|style=/i);
    });

    it('the overview shows active learners, tokens and charts that are PNG images', async () => {
      const overview = await page('/admin');
      expect(overview).toMatch(/Active learners, last 24 h<b>3<\/b>/);
      expect(overview).toMatch(/Rate-limited today<b>1<\/b>/);
      expect(overview).toMatch(/Estimated cost, last 30 days<b>\$\d+\.\d\d<\/b>/);
      const charts = [...overview.matchAll(/<img class="chart" src="([^"]+)"/g)].map((m) => m[1]!);
      expect(charts).toHaveLength(4);
      for (const src of charts) {
        const image = await get(src, bearer);
        expect(image.status).toBe(200);
        expect(image.headers.get('content-type')).toBe('image/png');
        const bytes = new Uint8Array(await image.arrayBuffer());
        expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
      }
    });

    it('the worst item is the one rated 1, with its query, prompt version, content and feedback, escaped', async () => {
      const generations = await t.prisma.generation.findMany({ orderBy: { id: 'asc' } });
      const rated1 = generations[0]!;
      const html = await page('/admin/worst');
      const first = html.indexOf('<article');
      expect(html.slice(first, html.indexOf('</article>', first))).toContain(`#${rated1.id} · 1.00 / 5`);
      expect(html).toContain('kitchen &lt;img src=x onerror=alert(1)&gt; words');
      expect(html).toContain(`<td class="prompt-version">${rated1.promptVersion}</td>`);
      expect(html).toContain('el cuchillo');
      expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img src=x');
      // The filters: another content type leaves it out, its own keeps it.
      expect(await page('/admin/worst?type=exercises')).not.toContain(`#${rated1.id} ·`);
      expect(await page('/admin/worst?type=flashcards&lang=es')).toContain(`#${rated1.id} ·`);
    });

    it('the quality table groups by type, prompt version, language, level and model, sortable', async () => {
      const [cards, exercises] = await t.prisma.generation.findMany({ orderBy: { id: 'asc' }, take: 2 });
      const html = await page('/admin/quality?sort=mean&dir=desc');
      const rowOf = (version: string) => html.slice(html.indexOf(`<td>${version}</td>`) - 40, html.indexOf('</tr>', html.indexOf(`<td>${version}</td>`)));
      expect(rowOf(cards!.promptVersion!)).toContain('<td>flashcards</td>');
      expect(rowOf(cards!.promptVersion!)).toContain('<td>1.00</td>');
      expect(rowOf(exercises!.promptVersion!)).toContain('<td>5.00</td>');
      expect(rowOf(exercises!.promptVersion!)).toContain('<td>fake-model</td>');
      // Descending by average: exercises (5) before flashcards (1); ascending the other way round.
      expect(html.indexOf(exercises!.promptVersion!)).toBeLessThan(html.indexOf(cards!.promptVersion!));
      const ascending = await page('/admin/quality?sort=mean&dir=asc');
      expect(ascending.indexOf(cards!.promptVersion!)).toBeLessThan(ascending.indexOf(exercises!.promptVersion!));
    });

    it('the learners page lists learners by number with calls and rate-limit rejections', async () => {
      const cleo = await t.prisma.platformAccount.findFirstOrThrow({ where: { externalId: 'cleo' } });
      const html = await page('/admin/learners');
      expect(html).toContain(`learner ${cleo.userId}</a>`);
      expect(html).not.toContain('Cleo');
      const row = html.slice(html.indexOf(`learner ${cleo.userId}</a>`), html.indexOf('</tr>', html.indexOf(`learner ${cleo.userId}</a>`)));
      // Three calls reserved, the fourth refused by the per-minute limit before any reservation.
      expect(row).toMatch(/<td>3<\/td><td>0<\/td><td>1<\/td>$/);
    });

    it('the activity log searches by text, type, language and learner, and pages by keyset', async () => {
      const all = await page('/admin/activity');
      expect(all).toContain('travel words 2');
      // The learner's markup is shown as text, never as markup.
      expect(all).toContain('kitchen &lt;img src=x onerror=alert(1)&gt; words');
      expect(all).not.toContain('<img src=x');
      const found = await page('/admin/activity?q=TRAVEL+words+1');
      expect(found).toContain('travel words 1');
      expect(found).not.toContain('travel words 2');
      expect(await page('/admin/activity?type=exercises')).not.toContain('travel words');
      expect(await page('/admin/activity?lang=de')).not.toContain('travel words');
      // A literal % is not a wildcard.
      expect(await page('/admin/activity?q=%25')).not.toContain('travel words');
      // Keyset pages: ten entries with a page of 50 fit on one page, so walk with the cursor of a page of one
      // through the repository directly (the page size is a constant of the page).
      const now = new Date();
      const from = new Date(now.getTime() - 3_600_000);
      const to = new Date(now.getTime() + 3_600_000);
      const seen: string[] = [];
      let after;
      for (let i = 0; i < 100; i += 1) {
        const result = await t.core.dashboard.searchActivity({ from, to, limit: 3, scanLimit: 1000, ...(after ? { after } : {}) });
        seen.push(...result.rows.map((r) => r.id));
        if (!result.next) break;
        after = result.next;
      }
      const total = await t.prisma.activityLog.count();
      expect(new Set(seen).size).toBe(total);
      expect(seen).toHaveLength(total);
      // A scan bound smaller than the range: the page stops there and continues from the last entry read.
      const bounded = await t.core.dashboard.searchActivity({ from, to, text: 'no such text', limit: 3, scanLimit: 4 });
      expect(bounded.rows).toHaveLength(0);
      expect(bounded.scanned).toBe(4);
      expect(bounded.next).toBeDefined();
    });

    it('exports feedback with its context and the quality table as CSV, formulas neutralised', async () => {
      const feedback = await get('/admin/export/feedback.csv', bearer);
      expect(feedback.headers.get('content-type')).toContain('text/csv');
      expect(feedback.headers.get('content-disposition')).toContain('feedback.csv');
      const csv = await feedback.text();
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe('feedback_id,timestamp,learner,rating,feedback_text,generation_id,content_type,query,target_language,base_language,level,prompt_version,model');
      expect(lines).toHaveLength(4); // two ratings and one text
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.invalid"") <script>alert('x')</script>"`);
      expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
      const quality = await (await get('/admin/export/quality.csv', bearer)).text();
      expect(quality.split('\r\n')[0]).toBe('content_type,prompt_version,target_language,level,model,ratings,average,ci95_low,ci95_high,worse_than_version');
      expect(quality).toContain('flashcards,');
      expect(quality).toContain('exercises,');
    });

    it('an unknown /admin path is 404 once logged in, 401 before', async () => {
      expect((await get('/admin/nothing')).status).toBe(401);
      expect((await get('/admin/nothing', bearer)).status).toBe(404);
      expect((await get('/healthz')).status).toBe(200);
    });
  });
}

describe('without ADMIN_TOKEN', () => {
  it('the /admin routes do not exist: 404 like any unknown path, while /healthz answers', async () => {
    const t = await createTestCore();
    const ops = await startOps(t.core, () => [], t.logger, 0);
    try {
      const base = `http://127.0.0.1:${ops.port}`;
      for (const path of ['/admin', '/admin/login', '/admin/quality', '/admin/static/admin.css']) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, path).toBe(404);
        expect(await response.text()).toBe(await (await fetch(`${base}/no-such-path`)).text());
      }
      expect((await fetch(`${base}/admin/login`, { method: 'POST', body: 'token=x' })).status).toBe(405);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await ops.close();
      await t.close();
    }
  });
});
