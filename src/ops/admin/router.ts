// The /admin routes of the operations server. Mounted only when ADMIN_TOKEN is set (otherwise /admin is an
// unknown path like any other). Every route but the login form and the stylesheet needs the token or a session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DAY_MS, type DashboardRepository } from '../../core/repositories/dashboard-repository.ts';
import type { Logger } from '../../logger.ts';
import { createAdminAuth, type AdminAuth } from './auth.ts';
import { CHART_DAYS, CHARTS, createChartCache, type ChartCache, type ChartName } from './charts.ts';
import { cachedReads, type DashboardReads } from './cached-reads.ts';
import { startOfUtcDay } from './params.ts';
import { CONTENT_SECURITY_POLICY, esc, STYLESHEET } from './html.ts';
import { loginPage } from './pages/login.ts';
import { activityPage } from './pages/activity.ts';
import type { PageContext } from './pages/context.ts';
import { exportsPage, feedbackCsv, qualityCsv } from './pages/exports.ts';
import { learnersPage } from './pages/learners.ts';
import { overviewPage } from './pages/overview.ts';
import { qualityPage } from './pages/quality.ts';
import { worstPage } from './pages/worst.ts';

export interface AdminOptions {
  token: string;
  reads: DashboardRepository;
  logger: Logger;
  prices: { inputPerMTok: number; outputPerMTok: number };
  now?: () => Date;
  /** Keep closed days' per-day figures in memory (cached-reads.ts); default true. */
  cacheDays?: boolean;
}

/** Handles a request when its path is under /admin (returns true), else leaves it to the caller (false). */
export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const PAGES: Record<string, (c: PageContext) => Promise<string> | string> = {
  '/admin': overviewPage,
  '/admin/quality': qualityPage,
  '/admin/worst': worstPage,
  '/admin/learners': learnersPage,
  '/admin/activity': activityPage,
  '/admin/exports': exportsPage,
};

const CSV: Record<string, [string, (c: PageContext) => Promise<string>]> = {
  '/admin/export/feedback.csv': ['feedback.csv', feedbackCsv],
  '/admin/export/quality.csv': ['quality.csv', qualityCsv],
};

/** Largest login form body read. */
const MAX_FORM_BYTES = 4096;

export function createAdminHandler(options: AdminOptions): AdminHandler {
  const auth = createAdminAuth(options.token);
  const log = options.logger.child({ component: 'admin' });
  const now = options.now ?? (() => new Date());
  const charts = createChartCache();
  const reads: DashboardReads = options.cacheDays === false ? options.reads : cachedReads(options.reads, now);
  if (options.cacheDays !== false) {
    // Read the closed days of the charts' window now, not on the first request.
    const since = new Date(startOfUtcDay(now()).getTime() - (CHART_DAYS - 1) * DAY_MS);
    Promise.all([reads.tokensPerDay(since), reads.generationsPerDay(since), reads.ratingsPerDay(since)]).catch((error: unknown) =>
      log.warn({ err: error }, 'dashboard: could not read the per-day figures ahead'),
    );
  }
  // Load chart.js and the canvas now, not on the first chart request (a second of module loading).
  void import('../../core/charts/bar-chart.ts').catch((error: unknown) => log.warn({ err: error }, 'chart modules could not be loaded'));

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path !== '/admin' && !path.startsWith('/admin/')) return false;
    const reqLog = log.child({ path, method: req.method });
    handle(req, res, url, path, auth, { ...options, reads }, charts, now()).catch((error: unknown) => {
      reqLog.error({ err: error }, 'admin page failed');
      if (!res.headersSent) send(res, 500, 'text/html; charset=utf-8', '<!doctype html><title>Error</title><p>The page failed; see the logs.</p>');
      else res.destroy();
    });
    return true;
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, url: URL, path: string, auth: AdminAuth, options: Omit<AdminOptions, 'reads'> & { reads: DashboardReads }, charts: ChartCache, now: Date): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/admin/static/admin.css') return send(res, 200, 'text/css; charset=utf-8', STYLESHEET);
  if (path === '/admin/login') {
    if (method === 'POST') {
      const form = await readForm(req);
      if (form && auth.tokensMatch(form.get('token') ?? '')) {
        // Behind a TLS-terminating proxy the cookie is marked Secure (plain HTTP on the ops port could not set it).
        const secure = req.headers['x-forwarded-proto'] === 'https';
        res.writeHead(303, { location: '/admin', 'set-cookie': auth.sessionCookie(secure), 'cache-control': 'no-store' });
        res.end();
        return;
      }
      return send(res, 401, 'text/html; charset=utf-8', loginPage('The token is not right.'));
    }
    if (method === 'GET' || method === 'HEAD') return send(res, 200, 'text/html; charset=utf-8', loginPage());
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (!auth.allows(req)) {
    res.setHeader('www-authenticate', 'Bearer realm="admin"');
    return send(res, 401, 'text/html; charset=utf-8', `<!doctype html><title>Log in</title><p>Log in first: <a href="/admin/login">/admin/login</a>.</p>`);
  }
  if (path === '/admin/logout' && method === 'POST') {
    res.writeHead(303, { location: '/admin/login', 'set-cookie': auth.clearCookie(), 'cache-control': 'no-store' });
    res.end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  const context: PageContext = { reads: options.reads, now, query: url.searchParams, prices: options.prices };
  const pageOf = PAGES[path];
  if (pageOf) return send(res, 200, 'text/html; charset=utf-8', await pageOf(context));
  const csv = CSV[path];
  if (csv) {
    const [name, build] = csv;
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    return send(res, 200, 'text/csv; charset=utf-8', await build(context));
  }
  const chart = /^\/admin\/chart\/([a-z-]+)\.png$/.exec(path)?.[1];
  if (chart && (CHARTS as readonly string[]).includes(chart)) return send(res, 200, 'image/png', await charts.get(chart as ChartName, options.reads, now));
  return send(res, 404, 'text/html; charset=utf-8', `<!doctype html><title>Not found</title><p>No page ${esc(path)}. <a href="/admin">Overview</a></p>`);
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The login form's fields, or undefined when the body is not a small urlencoded form. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
