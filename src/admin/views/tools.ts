/**
 * Sign-in, missed questions, translators' files, accounts and error pages.
 */
import { LANGS, dirOf } from '../../domain/index.js';
import type { AdminUser } from '../auth.js';
import { ROLES } from '../auth.js';
import { html } from '../html.js';
import type { MissedGroup } from '../missed.js';
import type { ImportPreview } from '../translations.js';
import { CONTENT_LANG_NAMES } from './content.js';
import { csrfField, page, postForm, type ViewContext } from './layout.js';
import type { MessageKey } from '../locales/en.js';

/** The sign-in page. `token`: the pre-session CSRF token. */
export function loginPage(ctx: ViewContext, opts: { token: string; username?: string; error?: MessageKey }): string {
  return page(
    ctx,
    ctx.t('login.title'),
    html`<section class="login">
    <h1>${ctx.t('login.title')}</h1>
    ${opts.error ? html`<p class="notice error" role="alert">${ctx.t(opts.error)}</p>` : ''}
    <form method="post" action="${ctx.base}/login">
      <input type="hidden" name="_csrf" value="${opts.token}">
      <label>${ctx.t('login.username')}<input name="username" autocomplete="username" autocapitalize="none" spellcheck="false" dir="ltr" required value="${opts.username ?? ''}"></label>
      <label>${ctx.t('login.password')}<input name="password" type="password" autocomplete="current-password" dir="ltr" required></label>
      <button type="submit" class="primary">${ctx.t('login.submit')}</button>
    </form>
    <p class="hint">${ctx.t('login.help')}</p></section>`,
  );
}

/** An error page. */
export function errorPage(ctx: ViewContext, title: MessageKey, message: MessageKey): string {
  return page(ctx, ctx.t(title), html`<h1>${ctx.t(title)}</h1><p>${ctx.t(message)}</p><p><a href="${ctx.base}/">${ctx.t('nav.topics')}</a></p>`);
}

/** The missed questions, grouped. */
export function missedPage(ctx: ViewContext, groups: readonly MissedGroup[], topics: ReadonlyArray<{ id: string; label: string }>, retentionDays: number): string {
  const b = ctx.base;
  const topicSelect = (selected: string | undefined) =>
    html`<select name="topic" aria-label="${ctx.t('missed.topic')}">${topics.map((t) => html`<option value="${t.id}"${t.id === selected ? ' selected' : ''}>${t.label}</option>`)}</select>`;
  const list = groups.map(
    (g) => html`<article class="card group">
      <header><h2 dir="auto">${g.items[0]!.text}</h2>
      <p class="meta">${ctx.t('missed.count', { n: g.items.length })}${g.suggestion ? html` · ${ctx.t('missed.suggestion')}: <code>${g.suggestion}</code>` : ''}</p></header>
      <ul class="missed">${g.items.slice(0, 20).map(
        (q) => html`<li data-id="${q.id}"><p dir="auto" lang="${q.lang ?? ''}">${q.text}</p>
          <p class="meta">${q.lang ? CONTENT_LANG_NAMES[q.lang] : '?'} · ${new Date(q.at).toISOString().slice(0, 10)}
            ${q.confidence !== undefined ? html` · ${ctx.t('missed.confidence', { n: Math.round(q.confidence * 100) })}` : ''}
            ${q.candidates.length ? html` · ${q.candidates.map((c) => `${c.intent} ${Math.round(c.confidence * 100)}%`).join(', ')}` : ''}</p>
          <div class="actions">
          ${postForm(ctx, `${b}/missed/attach`, html`<input type="hidden" name="id" value="${q.id}">
            ${q.lang ? '' : html`<select name="lang" aria-label="${ctx.t('missed.lang')}">${LANGS.map((l) => html`<option value="${l}">${CONTENT_LANG_NAMES[l]}</option>`)}</select>`}
            ${topicSelect(q.candidates[0]?.intent ?? g.suggestion)}<button type="submit">${ctx.t('missed.attach')}</button>`)}
          ${postForm(ctx, `${b}/missed/dismiss`, html`<input type="hidden" name="ids" value="${q.id}"><button type="submit" class="secondary">${ctx.t('missed.dismiss')}</button>`)}
          </div></li>`,
      )}</ul>
      ${g.items.length > 1
        ? postForm(ctx, `${b}/missed/dismiss`, html`${g.items.map((q) => html`<input type="hidden" name="ids" value="${q.id}">`)}<button type="submit" class="danger small">${ctx.t('missed.dismissGroup', { n: g.items.length })}</button>`, {
            confirm: ctx.t('missed.dismissGroup', { n: g.items.length }),
          })
        : ''}
    </article>`,
  );
  return page(
    ctx,
    ctx.t('missed.title'),
    html`<h1>${ctx.t('missed.title')}</h1><p class="lead">${ctx.t('missed.lead', { days: retentionDays })}</p>
    ${groups.length === 0 ? html`<p class="empty">${ctx.t('missed.empty')}</p>` : list}`,
  );
}

/** The translators' page: export and import. */
export function translationsPage(ctx: ViewContext): string {
  const b = ctx.base;
  const targets = LANGS.filter((l) => l !== 'fr');
  const langSelect = html`<select name="lang">${targets.map((l) => html`<option value="${l}">${CONTENT_LANG_NAMES[l]}</option>`)}</select>`;
  return page(
    ctx,
    ctx.t('tr.title'),
    html`<h1>${ctx.t('tr.title')}</h1><p class="lead">${ctx.t('tr.lead')}</p>
    <section class="card"><h2>${ctx.t('tr.export')}</h2>
      <form method="get" action="${b}/translations/export" class="stack">
        <label>${ctx.t('tr.lang')} ${langSelect}</label>
        <fieldset><legend>${ctx.t('tr.scope')}</legend>
          <label class="check"><input type="radio" name="scope" value="todo" checked> ${ctx.t('tr.scopeTodo')}</label>
          <label class="check"><input type="radio" name="scope" value="all"> ${ctx.t('tr.scopeAll')}</label></fieldset>
        <fieldset><legend>${ctx.t('tr.format')}</legend>
          <label class="check"><input type="radio" name="format" value="xlsx" checked> XLSX (Excel, LibreOffice)</label>
          <label class="check"><input type="radio" name="format" value="csv"> CSV (UTF-8)</label></fieldset>
        <button type="submit" class="primary">${ctx.t('tr.download')}</button>
      </form></section>
    <section class="card"><h2>${ctx.t('tr.import')}</h2>
      <form method="post" action="${b}/translations/import" id="import-form" class="stack" enctype="multipart/form-data">
        ${csrfField(ctx)}
        <label>${ctx.t('tr.lang')} ${langSelect}</label>
        <label>${ctx.t('tr.file')} <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
        <button type="submit" class="primary">${ctx.t('tr.previewButton')}</button>
        <p class="hint">${ctx.t('tr.importHelp')}</p>
        <p class="notice error" id="import-error" hidden></p>
      </form></section>`,
  );
}

/** What an import would change, before it is applied. */
export function importPreviewPage(ctx: ViewContext, preview: ImportPreview, token: string): string {
  const b = ctx.base;
  const dir = dirOf(preview.lang);
  const errors = preview.changes.reduce((n, c) => n + c.issues.filter((i) => i.severity === 'error').length, 0);
  return page(
    ctx,
    ctx.t('tr.previewTitle'),
    html`<h1>${ctx.t('tr.previewTitle')} · ${CONTENT_LANG_NAMES[preview.lang]}</h1>
    <p class="lead">${ctx.t('tr.previewSummary', { changed: preview.changes.length, unchanged: preview.unchanged, problems: preview.problems.length, errors })}</p>
    ${preview.problems.length ? html`<div class="notice error"><ul>${preview.problems.map((p) => html`<li>${ctx.t('tr.row', { n: p.row })}: ${p.message}</li>`)}</ul></div>` : ''}
    ${preview.changes.map(
      (c) => html`<article class="card" data-topic="${c.topic}"><h2><code>${c.topic}</code>${c.isNew ? html` <span class="flag pending">${ctx.t('tr.new')}</span>` : ''}</h2>
        ${c.fields.map(
          (f) => html`<div class="field-diff"><h3>${ctx.t(`field.${f.field}`)}</h3>
            <div class="before" dir="${dir}"><span class="sign">−</span>${f.before || '∅'}</div>
            <div class="after" dir="${dir}"><span class="sign">+</span>${f.after}</div></div>`,
        )}
        ${c.issues.length ? html`<ul class="issues">${c.issues.map((i) => html`<li class="${i.severity}">${ctx.t(i.severity === 'error' ? 'issue.error' : 'issue.warning')} ${i.message}</li>`)}</ul>` : html`<p class="good">${ctx.t('editor.noIssues')}</p>`}
      </article>`,
    )}
    ${preview.changes.length
      ? html`<form method="post" action="${b}/translations/import/${token}/apply" class="actions sticky">${csrfField(ctx)}
          <button type="submit" class="primary">${ctx.t('tr.apply', { n: preview.changes.length })}</button>
          <a href="${b}/translations">${ctx.t('tr.cancel')}</a></form>`
      : html`<p><a href="${b}/translations">${ctx.t('tr.cancel')}</a></p>`}`,
  );
}

/** Accounts (admins only). */
export function usersPage(ctx: ViewContext, users: readonly AdminUser[], error?: MessageKey): string {
  const b = ctx.base;
  const roleSelect = (selected: string) => html`<select name="role">${ROLES.map((r) => html`<option value="${r}"${r === selected ? ' selected' : ''}>${ctx.t(`role.${r}`)}</option>`)}</select>`;
  return page(
    ctx,
    ctx.t('users.title'),
    html`<h1>${ctx.t('users.title')}</h1><p class="lead">${ctx.t('users.lead')}</p>
    ${error ? html`<p class="notice error" role="alert">${ctx.t(error)}</p>` : ''}
    <div class="scroll"><table class="users"><thead><tr><th>${ctx.t('login.username')}</th><th>${ctx.t('users.role')}</th><th>${ctx.t('users.state')}</th><th>${ctx.t('users.actions')}</th></tr></thead><tbody>
    ${users.map((u) => {
      const self = u.username === ctx.user?.username;
      return html`<tr><td>${u.username}</td><td>${ctx.t(`role.${u.role}`)}</td><td>${u.disabled ? ctx.t('users.disabled') : ctx.t('users.active')}</td><td>
        ${self
          ? html`<span class="hint">${ctx.t('users.self')}</span>`
          : html`${postForm(ctx, `${b}/users/${u.username}`, html`${roleSelect(u.role)}<button type="submit" name="action" value="role">${ctx.t('users.changeRole')}</button>`)}
            ${postForm(ctx, `${b}/users/${u.username}`, html`<button type="submit" name="action" value="${u.disabled ? 'enable' : 'disable'}" class="secondary">${ctx.t(u.disabled ? 'users.enable' : 'users.disable')}</button>`)}
            ${postForm(ctx, `${b}/users/${u.username}`, html`<input type="password" name="password" autocomplete="new-password" aria-label="${ctx.t('users.newPassword')}" placeholder="${ctx.t('users.newPassword')}" minlength="10"><button type="submit" name="action" value="password" class="secondary">${ctx.t('users.setPassword')}</button>`)}`}
      </td></tr>`;
    })}</tbody></table></div>
    <section class="card"><h2>${ctx.t('users.add')}</h2>
    ${postForm(ctx, `${b}/users`, html`<label>${ctx.t('login.username')} <input name="username" required pattern="[a-z0-9][a-z0-9._\\-]{1,31}" autocapitalize="none" dir="ltr"></label>
      <label>${ctx.t('users.role')} ${roleSelect('editor')}</label>
      <label>${ctx.t('login.password')} <input type="password" name="password" required minlength="10" autocomplete="new-password" dir="ltr"></label>
      <button type="submit" class="primary">${ctx.t('users.create')}</button>`, { cls: 'stack' })}</section>`,
  );
}
