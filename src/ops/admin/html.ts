// HTML of the dashboard: every value goes through esc() (learners' text and model output are untrusted), the
// page has no script and no inline style (the Content-Security-Policy forbids both), and links are built from
// escaped query strings.
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Already-escaped HTML, built by the helpers below. */
export interface Html {
  readonly html: string;
}

export const raw = (html: string): Html => ({ html });

/** A template tag that escapes every interpolated value unless it is Html (or an array of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return raw(out);
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join('');
  if (value && typeof value === 'object' && 'html' in value) return (value as Html).html;
  if (value === undefined || value === null || value === false) return '';
  return esc(value);
}

/** A link to an /admin path with query parameters (empty ones left out). */
export function href(path: string, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export const NAV: Array<[string, string]> = [
  ['/admin', 'Overview'],
  ['/admin/quality', 'Quality'],
  ['/admin/worst', 'Worst items'],
  ['/admin/learners', 'Learners'],
  ['/admin/activity', 'Activity log'],
  ['/admin/exports', 'CSV exports'],
];

export function page(title: string, body: Html): string {
  return `<!doctype html>${
    html`<html lang="en"><head><meta charset="utf-8"><title>${title} · Tutor admin</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/admin/static/admin.css"></head>
<body><header><nav>${NAV.map(([path, label]) => html`<a href="${path}">${label}</a>`)}<form method="post" action="/admin/logout" class="logout"><button type="submit">Log out</button></form></nav></header>
<main><h1>${title}</h1>${body}</main></body></html>`.html
  }`;
}

export function table(headers: Array<string | Html>, rows: unknown[][]): Html {
  return html`<table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`,
  )}</tbody></table>`;
}

export const STYLESHEET = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { background: #243b53; padding: 0.5rem 1rem; }
nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
nav a { color: #fff; text-decoration: none; font-weight: 600; }
nav .logout { margin-left: auto; }
main { padding: 1rem 1.5rem; max-width: 1400px; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; background: #fff; }
th, td { border: 1px solid #d9e2ec; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
th a { color: inherit; }
.flag { color: #b00020; font-weight: 700; }
.figures { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.figure { background: #fff; border: 1px solid #d9e2ec; padding: 0.5rem 1rem; }
.figure b { display: block; font-size: 1.4rem; }
img.chart { display: block; max-width: 100%; border: 1px solid #d9e2ec; margin: 0.5rem 0 1rem; }
pre { white-space: pre-wrap; max-width: 60rem; margin: 0; font: 13px/1.35 ui-monospace, monospace; }
form.filters { display: flex; gap: 0.75rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; }
.note { color: #52606d; }
`;
