/**
 * The translators' pages: export and import, and what an import would change before it is applied.
 */
import { LANGS, dirOf, isLang } from '../../domain/index.js';
import { html } from '../html.js';
import { CONTENT_LANG_NAMES, issueText } from '../i18n.js';
import { csrfField, page, type ViewContext } from '../views/layout.js';
import type { ImportPreview } from './import-export.js';

/** An import problem's parameters with language codes ("es") as their names ("Español"). */
function langNames(params: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!params) return undefined;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, isLang(v) ? CONTENT_LANG_NAMES[v] : v]));
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
    ${preview.problems.length ? html`<div class="notice error"><ul>${preview.problems.map((p) => html`<li>${ctx.t('tr.row', { n: p.row })}: ${issueText(ctx.t, { ...p, params: langNames(p.params) })}</li>`)}</ul></div>` : ''}
    ${preview.changes.map(
      (c) => html`<article class="card" data-topic="${c.topic}"><h2><code>${c.topic}</code>${c.isNew ? html` <span class="flag pending">${ctx.t('tr.new')}</span>` : ''}</h2>
        ${c.fields.map(
          (f) => html`<div class="field-diff"><h3>${ctx.t(`field.${f.field}`)}</h3>
            <div class="before" dir="${dir}"><span class="sign">−</span>${f.before || '∅'}</div>
            <div class="after" dir="${dir}"><span class="sign">+</span>${f.after}</div></div>`,
        )}
        ${c.issues.length ? html`<ul class="issues">${c.issues.map((i) => html`<li class="${i.severity}">${ctx.t(i.severity === 'error' ? 'issue.error' : 'issue.warning')} ${issueText(ctx.t, i)}</li>`)}</ul>` : html`<p class="good">${ctx.t('editor.noIssues')}</p>`}
      </article>`,
    )}
    ${preview.changes.length
      ? html`<form method="post" action="${b}/translations/import/${token}/apply" class="actions sticky">${csrfField(ctx)}
          <button type="submit" class="primary">${ctx.t('tr.apply', { n: preview.changes.length })}</button>
          <a href="${b}/translations">${ctx.t('tr.cancel')}</a></form>`
      : html`<p><a href="${b}/translations">${ctx.t('tr.cancel')}</a></p>`}`,
  );
}
