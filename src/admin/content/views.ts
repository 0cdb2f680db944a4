/**
 * Pages about content: the topic x language matrix, the answer editor with its live preview,
 * and the training phrases of a topic.
 */
import { ANSWER_STATUSES, CATEGORIES, CHOICE_LABEL_MAX, LANGS, TOPICS, dirOf } from '../../domain/index.js';
import type { ContentIssue, Lang, TopicAnswer, TopicId } from '../../domain/index.js';
import type { AnswerFields } from '../../knowledge/publish.js';
import { html, type Html } from '../html.js';
import { CONTENT_LANG_NAMES, issueText } from '../i18n.js';
import { refusedNotice } from '../views/issues.js';
import { csrfField, page, type ViewContext } from '../views/layout.js';
import type { Draft } from '../workspace/index.js';
import type { MatrixCell } from './matrix.js';
import type { ChannelPreview } from './preview.js';

/** A problem shown next to the form: the validator's message and the field it is about. */
export interface FieldIssue {
  severity: ContentIssue['severity'];
  message: string;
  field?: string;
  line: number;
  code?: string;
  params?: ContentIssue['params'];
}

function statusBadge(ctx: ViewContext, cell: MatrixCell): Html {
  const flags = [
    cell.stale ? html`<span class="flag stale" title="${ctx.t('flag.stale.help')}">${ctx.t('flag.stale')}</span>` : '',
    cell.overdue ? html`<span class="flag overdue" title="${ctx.t('flag.overdue.help')}">${ctx.t('flag.overdue')}</span>` : '',
    cell.pending ? html`<span class="flag pending" title="${ctx.t('flag.pending.help')}">${ctx.t('flag.pending')}</span>` : '',
  ];
  return html`<a class="cell s-${cell.status}" href="${ctx.base}/topics/${cell.topic}/${cell.lang}" data-topic="${cell.topic}" data-lang="${cell.lang}">
    <span class="status">${ctx.t(`status.${cell.status}`)}</span>${flags}</a>`;
}

/** The home page: every topic in every language. */
export function matrixPage(ctx: ViewContext, rows: MatrixCell[][], titleOf: (topic: TopicId) => string): string {
  const summary = LANGS.map((lang) => {
    const cells = rows.map((r) => r.find((c) => c.lang === lang)!);
    const n = (f: (c: MatrixCell) => boolean): number => cells.filter(f).length;
    return html`<li><b><bdi>${CONTENT_LANG_NAMES[lang]}</bdi></b>: ${ctx.t('matrix.summary', {
      published: n((c) => c.status === 'published'),
      missing: n((c) => c.status === 'missing'),
      stale: n((c) => c.stale),
      overdue: n((c) => c.overdue),
    })}</li>`;
  });
  const body = CATEGORIES.map((cat) => {
    const inCat = rows.filter((r) => TOPICS[r[0]!.topic] === cat);
    return html`<tbody><tr class="cat"><th colspan="${LANGS.length + 1}" scope="colgroup">${ctx.t(`category.${cat}`)}</th></tr>
      ${inCat.map(
        (r) => html`<tr><th scope="row"><span class="topic-title">${titleOf(r[0]!.topic)}</span> <code>${r[0]!.topic}</code>
          <a class="small" href="${ctx.base}/phrases/${r[0]!.topic}/${ctx.lang === 'ar' ? 'ar' : ctx.lang}">${ctx.t('matrix.phrases')}</a></th>
          ${r.map((c) => html`<td>${statusBadge(ctx, c)}</td>`)}</tr>`,
      )}</tbody>`;
  });
  return page(
    ctx,
    ctx.t('matrix.title'),
    html`<h1>${ctx.t('matrix.title')}</h1>
    <p class="lead">${ctx.t('matrix.lead')}</p>
    <ul class="summary">${summary}</ul>
    <details class="legend"><summary>${ctx.t('matrix.legend')}</summary><dl>
      ${(['published', 'needs-verification', 'draft', 'missing'] as const).map(
        (s) => html`<dt><span class="cell s-${s}"><span class="status">${ctx.t(`status.${s}`)}</span></span></dt><dd>${ctx.t(`status.${s}.help`)}</dd>`,
      )}
      ${(['stale', 'overdue', 'pending'] as const).map((f) => html`<dt><span class="flag ${f}">${ctx.t(`flag.${f}`)}</span></dt><dd>${ctx.t(`flag.${f}.help`)}</dd>`)}
    </dl></details>
    <div class="scroll"><table class="matrix">
      <thead><tr><th scope="col">${ctx.t('matrix.topic')}</th>${LANGS.map((l) => html`<th scope="col" lang="${l}">${CONTENT_LANG_NAMES[l]}</th>`)}</tr></thead>
      ${body}
    </table></div>`,
  );
}

/** Everything the editor page shows. */
export interface EditorView {
  topic: TopicId;
  lang: Lang;
  title: string;
  /** The topic's title in the interface language (the breadcrumb), else in French. */
  topicTitle: string;
  fields: AnswerFields;
  draft?: Draft;
  /** A published file exists. */
  exists: boolean;
  issues: FieldIssue[];
  preview: ChannelPreview;
  /** The French answer, shown beside a translation. */
  fr?: TopicAnswer;
  stale: boolean;
  /** The draft was started from another version than the one published now. */
  conflict: boolean;
  organisations: Array<{ id: string; name: string }>;
  topics: Array<{ id: TopicId; label: string }>;
  canPublish: boolean;
  smsBudget: number;
  /** Result of a refused publish, shown on top. */
  refused?: ContentIssue[];
}

function issueList(ctx: ViewContext, issues: readonly FieldIssue[]): Html {
  if (issues.length === 0) return html`<li class="ok">${ctx.t('editor.noIssues')}</li>`;
  return html`${issues.map(
    (i) => html`<li class="${i.severity}" data-field="${i.field ?? ''}"><b>${ctx.t(i.severity === 'error' ? 'issue.error' : 'issue.warning')}</b>
      ${i.field ? html`<span class="field-name">${ctx.t(`field.${i.field}` as 'field.title')}</span>: ` : ''}${issueText(ctx.t, i)}</li>`,
  )}`;
}

/** The preview of a reply on the three channels (filled again by admin.js as the editor types). */
export function previewPanel(ctx: ViewContext, p: ChannelPreview, lang: Lang, budget: number): Html {
  const over = p.sms.segments > budget;
  return html`<section class="preview" aria-labelledby="pv-title">
    <h2 id="pv-title">${ctx.t('preview.title')}</h2>
    <div class="channel wa"><h3>WhatsApp</h3><div class="bubble" id="pv-whatsapp" dir="${dirOf(lang)}" lang="${lang}" data-markup="bold">${p.whatsapp.text}</div></div>
    <div class="channel tg"><h3>Telegram</h3><div class="bubble" id="pv-telegram" dir="${dirOf(lang)}" lang="${lang}" data-markup="bold">${p.telegram.text}</div></div>
    <div class="channel sms"><h3>SMS</h3><div class="bubble" id="pv-sms" dir="${dirOf(lang)}" lang="${lang}">${p.sms.text}</div>
      <p class="sms-meta${over ? ' over' : ''}" id="pv-sms-meta" data-budget="${budget}"
        data-label="${ctx.t('preview.smsMeta')}">${ctx.t('preview.smsMeta', { encoding: p.sms.encoding, segments: p.sms.segments, chars: p.sms.chars, budget })}</p></div>
    <p class="hint">${ctx.t('preview.footerNote')}</p>
  </section>`;
}

function sourceRow(ctx: ViewContext, s: { title: string; ref?: string; url?: string }, n: number): Html {
  return html`<fieldset class="source-row"><legend>${ctx.t('editor.source', { n })}</legend>
    <label>${ctx.t('editor.sourceTitle')}<input name="source_title" value="${s.title}"></label>
    <label>${ctx.t('editor.sourceRef')}<input name="source_ref" value="${s.ref ?? ''}" placeholder="Loi 02-03, art. 16"></label>
    <label>${ctx.t('editor.sourceUrl')}<input name="source_url" type="url" inputmode="url" dir="ltr" value="${s.url ?? ''}" placeholder="https://"></label>
  </fieldset>`;
}

/**
 * Choices with the chosen ones first, in their order: the form then sends them in that order
 * (the order of organisations and related topics decides what users see first).
 */
function firstChosen<T extends { id: string }>(all: readonly T[], chosen: readonly string[]): T[] {
  const byId = new Map(all.map((x) => [x.id, x]));
  const first = chosen.map((id) => byId.get(id)).filter((x): x is T => x !== undefined);
  return [...first, ...all.filter((x) => !chosen.includes(x.id))];
}

/** The answer editor. */
export function editorPage(ctx: ViewContext, v: EditorView): string {
  const f = v.fields;
  const dir = dirOf(v.lang);
  const action = `${ctx.base}/topics/${v.topic}/${v.lang}`;
  const fieldClass = (name: string): string => (v.issues.some((i) => i.field === name && i.severity === 'error') ? 'has-error' : '');
  const sources = [...f.sources, { title: '' }, { title: '' }].map((s, i) => sourceRow(ctx, s, i + 1));
  const status = v.draft
    ? html`<p class="notice info">${ctx.t('editor.draftBy', { user: v.draft.author, date: v.draft.updatedAt.slice(0, 16).replace('T', ' ') })}</p>`
    : !v.exists
      ? html`<p class="notice info">${ctx.t('editor.new')}</p>`
      : '';
  const fr =
    v.fr && v.lang !== 'fr'
      ? html`<details class="source-text" ${v.stale ? 'open' : ''}><summary>${ctx.t('editor.frSource')}${v.stale ? html` <span class="flag stale">${ctx.t('flag.stale')}</span>` : ''}</summary>
          <div dir="ltr" lang="fr"><p><b>${v.fr.title}</b></p><p class="pre">${v.fr.body}</p><p><i>SMS</i>: ${v.fr.sms}</p>
          <p class="small">${ctx.t('editor.reviewedOn', { date: v.fr.reviewed })}</p></div></details>`
      : '';
  const refused = v.refused?.length
    ? refusedNotice(ctx, v.refused, (file) => (file.endsWith(`/${v.topic}/${v.lang}.md`) ? `${v.title} · ${v.lang.toUpperCase()}` : file))
    : '';
  return page(
    ctx,
    `${v.title} · ${CONTENT_LANG_NAMES[v.lang]}`,
    html`<p class="crumbs"><a href="${ctx.base}/">${ctx.t('nav.topics')}</a> › <span dir="auto">${v.topicTitle}</span> › ${CONTENT_LANG_NAMES[v.lang]}</p>
    <h1><span dir="auto">${v.title}</span> <small>${CONTENT_LANG_NAMES[v.lang]}</small></h1>
    <nav class="langtabs">${LANGS.map((l) =>
      l === v.lang ? html`<b>${CONTENT_LANG_NAMES[l]}</b>` : html`<a href="${ctx.base}/topics/${v.topic}/${l}">${CONTENT_LANG_NAMES[l]}</a>`,
    )} · <a href="${ctx.base}/phrases/${v.topic}/${v.lang}">${ctx.t('editor.phrasesLink')}</a></nav>
    ${refused}${status}
    ${v.conflict ? html`<p class="notice error">${ctx.t('editor.conflict')}</p>` : ''}
    <div class="editor">
    <form method="post" action="${action}" id="answer-form" class="answer-form" data-check="${ctx.base}/api/check/${v.topic}/${v.lang}" novalidate>
      ${csrfField(ctx)}
      ${fr}
      <label class="${fieldClass('title')}" data-field="title">${ctx.t('field.title')}
        <input name="title" value="${f.title}" dir="${dir}" lang="${v.lang}" required></label>
      <label class="${fieldClass('label')}" data-field="label">${ctx.t('field.label')}
        <input name="label" value="${f.label}" dir="${dir}" lang="${v.lang}"></label>
      <p class="hint">${ctx.t('editor.labelHelp', { max: CHOICE_LABEL_MAX })}</p>
      <div class="row">
        <label class="${fieldClass('status')}" data-field="status">${ctx.t('field.status')}
          <select name="status">${ANSWER_STATUSES.map((s) => html`<option value="${s}"${s === f.status ? ' selected' : ''}>${ctx.t(`status.${s}`)}</option>`)}</select></label>
        <label class="${fieldClass('reviewed')}" data-field="reviewed">${ctx.t('field.reviewed')}
          <input name="reviewed" type="date" value="${f.reviewed}" dir="ltr"></label>
      </div>
      <p class="hint">${ctx.t('editor.statusHelp')}</p>
      <label class="${fieldClass('sms')}" data-field="sms">${ctx.t('field.sms')}
        <textarea name="sms" rows="4" dir="${dir}" lang="${v.lang}">${f.sms}</textarea></label>
      <p class="hint">${ctx.t('editor.smsHelp', { budget: v.smsBudget })}</p>
      <label class="${fieldClass('body')}" data-field="body">${ctx.t('field.body')}
        <textarea name="body" rows="18" dir="${dir}" lang="${v.lang}">${f.body}</textarea></label>
      <p class="hint">${ctx.t('editor.bodyHelp')}</p>
      <div class="${fieldClass('sources')}" data-field="sources"><h2>${ctx.t('field.sources')}</h2>
        <div id="sources">${sources}</div>
        <template id="source-template">${sourceRow(ctx, { title: '' }, 0)}</template>
        <button type="button" class="secondary" data-add-source>${ctx.t('editor.addSource')}</button></div>
      <details class="${fieldClass('organisations')}" data-field="organisations" ${f.organisations.length ? 'open' : ''}><summary>${ctx.t('field.organisations')} (${f.organisations.length})</summary>
        <div class="checks">${firstChosen(v.organisations, f.organisations).map(
          (o) => html`<label class="check"><input type="checkbox" name="organisations" value="${o.id}"${f.organisations.includes(o.id) ? ' checked' : ''}> ${o.name} <code>${o.id}</code></label>`,
        )}</div></details>
      <details class="${fieldClass('related')}" data-field="related"><summary>${ctx.t('field.related')} (${f.related.length})</summary>
        <div class="checks">${firstChosen(v.topics, f.related)
          .filter((t) => t.id !== v.topic)
          .map((t) => html`<label class="check"><input type="checkbox" name="related" value="${t.id}"${f.related.includes(t.id) ? ' checked' : ''}> ${t.label}</label>`)}</div></details>
      <label>${ctx.t('editor.note')}<input name="note" maxlength="500" value="${v.draft?.note ?? ''}"></label>
      <div class="actions sticky">
        <button type="submit" name="action" value="save">${ctx.t('editor.save')}</button>
        ${v.canPublish ? html`<button type="submit" name="action" value="publish" class="primary" data-confirm="${ctx.t('editor.publishConfirm')}">${ctx.t('editor.savePublish')}</button>` : ''}
        ${v.draft ? html`<button type="submit" name="action" value="discard" class="danger" data-confirm="${ctx.t('editor.discardConfirm')}">${ctx.t('editor.discard')}</button>` : ''}
      </div>
    </form>
    <aside class="side-panel">
      <section class="checks-panel" aria-labelledby="issues-title"><h2 id="issues-title">${ctx.t('editor.checks')}</h2>
        <ul id="issues" class="issues" aria-live="polite">${issueList(ctx, v.issues)}</ul></section>
      ${previewPanel(ctx, v.preview, v.lang, v.smsBudget)}
    </aside>
    </div>`,
  );
}

/** Everything the training-phrases page shows. */
export interface PhrasesView {
  intent: string;
  lang: Lang;
  title: string;
  /** The topic's title in the interface language (the breadcrumb); the intent id for an intent that is no topic. */
  topicTitle: string;
  phrases: string[];
  draft?: Draft;
  issues: FieldIssue[];
  canPublish: boolean;
  refused?: ContentIssue[];
}

/** The training phrases of one topic in one language. */
export function phrasesPage(ctx: ViewContext, v: PhrasesView): string {
  const action = `${ctx.base}/phrases/${v.intent}/${v.lang}`;
  return page(
    ctx,
    `${ctx.t('phrases.title')} · ${v.title}`,
    html`<p class="crumbs"><a href="${ctx.base}/">${ctx.t('nav.topics')}</a> › <span dir="auto">${v.topicTitle}</span> › ${ctx.t('phrases.title')}</p>
    <h1>${ctx.t('phrases.title')}: <span dir="auto">${v.title}</span> <small>${CONTENT_LANG_NAMES[v.lang]}</small></h1>
    <nav class="langtabs">${LANGS.map((l) =>
      l === v.lang ? html`<b>${CONTENT_LANG_NAMES[l]}</b>` : html`<a href="${ctx.base}/phrases/${v.intent}/${l}">${CONTENT_LANG_NAMES[l]}</a>`,
    )}</nav>
    <p class="lead">${ctx.t('phrases.lead')}</p>
    ${v.refused?.length ? refusedNotice(ctx, v.refused, (file) => file) : ''}
    ${v.draft ? html`<p class="notice info">${ctx.t('editor.draftBy', { user: v.draft.author, date: v.draft.updatedAt.slice(0, 16).replace('T', ' ') })}</p>` : ''}
    <ul class="issues">${v.issues.length ? issueList(ctx, v.issues) : ''}</ul>
    <form method="post" action="${action}" class="phrases-form">
      ${csrfField(ctx)}
      <label>${ctx.t('phrases.add')}<textarea name="add" rows="4" dir="${dirOf(v.lang)}" lang="${v.lang}" placeholder="${ctx.t('phrases.addPlaceholder')}"></textarea></label>
      <h2>${ctx.t('phrases.count', { n: v.phrases.length })}</h2>
      <ul class="phrases" dir="${dirOf(v.lang)}" lang="${v.lang}">${v.phrases.map(
        (p) => html`<li><label class="check"><input type="checkbox" name="remove" value="${p}"> <span>${p}</span></label></li>`,
      )}</ul>
      <p class="hint">${ctx.t('phrases.removeHelp')}</p>
      <div class="actions sticky">
        <button type="submit" name="action" value="save">${ctx.t('editor.save')}</button>
        ${v.canPublish ? html`<button type="submit" name="action" value="publish" class="primary">${ctx.t('editor.savePublish')}</button>` : ''}
        ${v.draft ? html`<button type="submit" name="action" value="discard" class="danger" data-confirm="${ctx.t('editor.discardConfirm')}">${ctx.t('editor.discard')}</button>` : ''}
      </div>
    </form>`,
  );
}
