/**
 * The page frame of the admin: header with navigation, account and language switch, then the
 * page. Works on a phone (the navigation wraps, tables scroll sideways) and right-to-left.
 */
import { html, type Html } from '../html.js';
import type { MessageKey } from '../locales/en.js';
import { UI_LANGS, UI_LANG_NAMES, type UiLang } from '../i18n.js';
import type { Role } from '../auth/accounts.js';
import { hasRole } from '../auth/accounts.js';

/** What every page knows about the request. */
export interface ViewContext {
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  lang: UiLang;
  dir: 'ltr' | 'rtl';
  /** Mount path of the admin, e.g. `/admin`. */
  base: string;
  /** Path of this page (for the language switch). */
  path: string;
  user?: { username: string; role: Role };
  csrf?: string;
  counts?: { drafts: number; missed: number };
  /** A message key to show once (after a redirect). */
  notice?: MessageKey;
  noticeKind?: 'ok' | 'error';
}

/** The hidden CSRF field of a form. */
export function csrfField(ctx: ViewContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`;
}

/** A POST form with the CSRF field. `confirm`: a question asked first (by admin.js). */
export function postForm(ctx: ViewContext, action: string, inner: Html, opts: { confirm?: string; cls?: string } = {}): Html {
  return html`<form method="post" action="${action}" class="${opts.cls ?? 'inline'}"${opts.confirm ? html` data-confirm="${opts.confirm}"` : ''}>${csrfField(ctx)}${inner}</form>`;
}

function nav(ctx: ViewContext): Html {
  if (!ctx.user) return html``;
  const b = ctx.base;
  const item = (href: string, label: string, count?: number): Html => {
    const current = ctx.path === href || (href !== `${b}/` && ctx.path.startsWith(href));
    return html`<a href="${href}"${current ? html` aria-current="page"` : ''}>${label}${count ? html` <span class="count">${count}</span>` : ''}</a>`;
  };
  // A case worker has the inbox only; editors and reviewers have no cases.
  if (ctx.user.role === 'caseworker') return html`<nav aria-label="${ctx.t('nav.label')}">${item(`${b}/cases`, ctx.t('nav.cases'))}</nav>`;
  return html`<nav aria-label="${ctx.t('nav.label')}">
    ${item(`${b}/`, ctx.t('nav.topics'))}
    ${item(`${b}/review`, ctx.t('nav.review'), ctx.counts?.drafts)}
    ${item(`${b}/history`, ctx.t('nav.history'))}
    ${item(`${b}/missed`, ctx.t('nav.missed'), ctx.counts?.missed)}
    ${item(`${b}/directory`, ctx.t('nav.directory'))}
    ${item(`${b}/translations`, ctx.t('nav.translations'))}
    ${hasRole(ctx.user.role, 'reviewer') ? item(`${b}/insights`, ctx.t('nav.insights')) : ''}
    ${hasRole(ctx.user.role, 'admin') ? item(`${b}/users`, ctx.t('nav.users')) : ''}
    ${hasRole(ctx.user.role, 'admin') ? item(`${b}/cases`, ctx.t('nav.cases')) : ''}
    ${hasRole(ctx.user.role, 'admin') ? item(`${b}/partners`, ctx.t('nav.partners')) : ''}
  </nav>`;
}

/** A full page; `scripts`: more scripts of the admin's own assets (file names under `/assets/`). */
export function page(ctx: ViewContext, title: string, body: Html, scripts: readonly string[] = []): string {
  const langs = UI_LANGS.map((l) =>
    l === ctx.lang
      ? html`<span aria-current="true" lang="${l}">${UI_LANG_NAMES[l]}</span>`
      : html`<a href="${ctx.base}/lang/${l}?next=${encodeURIComponent(ctx.path)}" lang="${l}" hreflang="${l}">${UI_LANG_NAMES[l]}</a>`,
  );
  const account = ctx.user
    ? html`<div class="account"><span>${ctx.user.username} · ${ctx.t(`role.${ctx.user.role}`)}</span>
        ${postForm(ctx, `${ctx.base}/logout`, html`<button type="submit" class="link">${ctx.t('nav.logout')}</button>`)}</div>`
    : '';
  const notice = ctx.notice ? html`<p class="notice ${ctx.noticeKind ?? 'ok'}" role="status">${ctx.t(ctx.notice)}</p>` : '';
  return html`<!doctype html>
<html lang="${ctx.lang}" dir="${ctx.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
${ctx.csrf ? html`<meta name="csrf-token" content="${ctx.csrf}">` : ''}
<title>${title} · Dalil admin</title>
<link rel="stylesheet" href="${ctx.base}/assets/admin.css">
<script src="${ctx.base}/assets/admin.js" defer></script>
${scripts.map((name) => html`<script src="${ctx.base}/assets/${name}" defer></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="${ctx.base}/">Dalil · ${ctx.t('app.name')}</a>
  ${nav(ctx)}
  <div class="side">${account}<div class="langs" aria-label="${ctx.t('nav.language')}">${langs}</div></div>
</header>
<main id="main">
${notice}
${body}
</main>
</body>
</html>`.value;
}
