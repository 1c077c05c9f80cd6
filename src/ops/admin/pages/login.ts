import { html } from '../html.ts';

export function loginPage(problem?: string): string {
  return `<!doctype html>${
    html`<html lang="en"><head><meta charset="utf-8"><title>Log in · Tutor admin</title><link rel="stylesheet" href="/admin/static/admin.css"></head>
<body><main><h1>Tutor admin</h1>${problem ? html`<p class="flag">${problem}</p>` : ''}
<form method="post" action="/admin/login"><label>Admin token <input type="password" name="token" autocomplete="current-password" autofocus></label> <button type="submit">Log in</button></form>
</main></body></html>`.html
  }`;
}
