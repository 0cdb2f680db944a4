/**
 * Review and history: drafts waiting for a reviewer (with what they change and what the checks
 * say), published versions with who, when and what, and rollback.
 */
import type { ContentIssue } from '../../domain/index.js';
import { parseContentKey, type AnswerFields } from '../../knowledge/publish.js';
import { fieldsOfText } from '../content/answer-form.js';
import { html, type Html } from '../html.js';
import { issueText } from '../i18n.js';
import { issuePlace, refusedNotice } from '../views/issues.js';
import { csrfField, page, postForm, type ViewContext } from '../views/layout.js';
import type { Draft, HistoryEntry } from '../workspace/index.js';
import { diffLines } from './diff.js';

/** A line diff as HTML; unchanged stretches longer than 6 lines are folded. */
export function diffView(before: string | null, after: string | null): Html {
  const lines = diffLines(before ?? '', after ?? '');
  const out: Html[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.op !== 'same') {
      out.push(html`<div class="${l.op}" dir="auto"><span class="sign">${l.op === 'add' ? '+' : '−'}</span>${l.text || ' '}</div>`);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.op === 'same') j++;
    const run = lines.slice(i, j);
    const keep = (xs: typeof run): Html[] => xs.map((x) => html`<div class="same" dir="auto"><span class="sign"> </span>${x.text || ' '}</div>`);
    if (run.length > 6) out.push(...keep(run.slice(0, i === 0 ? 0 : 2)), html`<div class="fold">⋯ ${run.length - (i === 0 ? 2 : 4)}</div>`, ...keep(run.slice(-2)));
    else out.push(...keep(run));
    i = j;
  }
  return html`<div class="diff">${out}</div>`;
}

const FIELD_ORDER: ReadonlyArray<keyof AnswerFields> = ['title', 'label', 'status', 'reviewed', 'sms', 'body', 'sources', 'organisations', 'related'];

function fieldText(f: AnswerFields, name: keyof AnswerFields): string {
  const v = f[name];
  if (name === 'sources') return f.sources.map((s) => [s.title, s.ref, s.url].filter(Boolean).join(' | ')).join('\n');
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/**
 * What a change does to a file, for people: for an answer, only the fields that change (so a
 * file written again in another layout shows no noise); for other files, a line diff.
 */
export function changeView(ctx: ViewContext, key: string, before: string | null, after: string | null): Html {
  const ref = parseContentKey(key);
  if (!ref || ref.kind !== 'answer' || before === null || after === null) return diffView(before, after);
  const today = new Date().toISOString().slice(0, 10);
  const a = fieldsOfText(before, today);
  const b = fieldsOfText(after, today);
  const changed = FIELD_ORDER.filter((name) => fieldText(a, name) !== fieldText(b, name));
  if (changed.length === 0) return html`<p class="meta">${ctx.t('review.layoutOnly')}</p>`;
  return html`${changed.map((name) => html`<h3>${ctx.t(`field.${name}`)}</h3>${diffView(fieldText(a, name), fieldText(b, name))}`)}`;
}

/** One draft as the review page lists it. */
export interface ReviewItem {
  draft: Draft;
  label: string;
  /** The field each issue is about (answers), by the issue's index. */
  fields?: Array<string | undefined>;
  editUrl: string;
  published: string | null;
  issues: ContentIssue[];
  conflict: boolean;
}

/** The review page. */
export function reviewPage(ctx: ViewContext, items: readonly ReviewItem[], canPublish: boolean, refused?: ContentIssue[]): string {
  const labels = new Map(items.map((it) => [it.draft.key, it.label]));
  const b = ctx.base;
  const list = items.map((it) => {
    const errors = it.issues.map((i, n) => ({ i, field: it.fields?.[n] })).filter(({ i }) => i.severity === 'error');
    const warnings = it.issues.length - errors.length;
    return html`<article class="card" data-key="${it.draft.key}">
      <header>${canPublish ? html`<label class="check"><input type="checkbox" form="publish-form" name="keys" value="${it.draft.key}"${errors.length ? ' disabled' : ''}></label>` : ''}
        <h2><a href="${it.editUrl}">${it.label}</a></h2>
        <p class="meta">${ctx.t('review.by', { user: it.draft.author, date: it.draft.updatedAt.slice(0, 16).replace('T', ' ') })} · ${ctx.t(`origin.${it.draft.origin}`)}
        ${it.published === null ? html` · <b>${ctx.t('review.newFile')}</b>` : ''}</p>
        ${it.draft.note ? html`<p class="note">“${it.draft.note}”</p>` : ''}
      </header>
      ${canPublish && parseContentKey(it.draft.key)?.kind === 'answer' && !errors.length
        ? html`<p><label class="check"><input type="checkbox" form="publish-form" name="checked" value="${it.draft.key}"> ${ctx.t('review.factsChecked')}</label></p>`
        : ''}
      ${it.conflict ? html`<p class="notice error">${ctx.t('editor.conflict')}</p>` : ''}
      <p class="${errors.length ? 'bad' : 'good'}">${ctx.t('review.checks', { errors: errors.length, warnings })}</p>
      ${errors.length ? html`<ul class="issues">${errors.map(({ i, field }) => html`<li class="error">${issuePlace(ctx, i, field)}: ${issueText(ctx.t, i)}</li>`)}</ul>` : ''}
      <details><summary>${ctx.t('review.changes')}</summary>${changeView(ctx, it.draft.key, it.published, it.draft.text)}</details>
      ${postForm(ctx, `${b}/review/discard`, html`<input type="hidden" name="key" value="${it.draft.key}"><button type="submit" class="danger small">${ctx.t('editor.discard')}</button>`, { confirm: ctx.t('editor.discardConfirm') })}
    </article>`;
  });
  return page(
    ctx,
    ctx.t('review.title'),
    html`<h1>${ctx.t('review.title')}</h1>
    <p class="lead">${ctx.t(canPublish ? 'review.leadReviewer' : 'review.leadEditor')}</p>
    ${refused?.length ? refusedNotice(ctx, refused, (file) => labels.get(file) ?? file) : ''}
    ${items.length === 0 ? html`<p class="empty">${ctx.t('review.empty')}</p>` : list}
    ${canPublish && items.length
      ? html`<form method="post" action="${b}/review/publish" id="publish-form" class="actions sticky" data-confirm="${ctx.t('editor.publishConfirm')}">
          ${csrfField(ctx)}<label>${ctx.t('editor.note')} <input name="note" maxlength="500"></label>
          <button type="submit" class="primary">${ctx.t('review.publishSelected')}</button></form>`
      : ''}`,
  );
}

/** The version history. */
export function historyPage(
  ctx: ViewContext,
  entries: readonly HistoryEntry[],
  canRollback: boolean,
  current: number,
  label: (key: string) => string,
  refused?: ContentIssue[],
): string {
  const b = ctx.base;
  const rows = entries.map(
    (e) => html`<article class="card" id="v${e.seq}" data-seq="${e.seq}">
      <header><h2>${ctx.t('history.version', { n: e.seq })}${e.seq === current ? html` <span class="flag live">${ctx.t('history.live')}</span>` : ''}</h2>
      <p class="meta">${ctx.t('history.by', { user: e.user, date: e.at.slice(0, 16).replace('T', ' ') })} ·
        ${e.action === 'rollback' ? ctx.t('history.rollbackOf', { n: e.rollbackOf ?? '?' }) : ctx.t('history.publish')}</p>
      ${e.note ? html`<p class="note">“${e.note}”</p>` : ''}</header>
      <ul class="files">${e.changes.map(
        (c) => html`<li><b class="file" title="${c.key}">${label(c.key)}</b> ${c.before === null ? html`<b>${ctx.t('history.created')}</b>` : c.after === null ? html`<b>${ctx.t('history.deleted')}</b>` : ''}
          <details><summary>${ctx.t('review.changes')}</summary>${changeView(ctx, c.key, c.before, c.after)}</details></li>`,
      )}</ul>
      ${canRollback ? postForm(ctx, `${b}/history/${e.seq}/rollback`, html`<button type="submit" class="secondary">${ctx.t('history.rollback')}</button>`, { confirm: ctx.t('history.rollbackConfirm', { n: e.seq }) }) : ''}
    </article>`,
  );
  return page(
    ctx,
    ctx.t('history.title'),
    html`<h1>${ctx.t('history.title')}</h1><p class="lead">${ctx.t('history.lead')}</p>
    ${refused?.length ? refusedNotice(ctx, refused, label, false) : ''}
    ${entries.length === 0 ? html`<p class="empty">${ctx.t('history.empty')}</p>` : rows}`,
  );
}
