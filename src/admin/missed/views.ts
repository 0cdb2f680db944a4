/**
 * The missed questions page: questions Dalil could not answer well, grouped, each to attach to a
 * topic as a training phrase or to dismiss.
 */
import { LANGS } from '../../domain/index.js';
import { html } from '../html.js';
import { CONTENT_LANG_NAMES } from '../i18n.js';
import { page, postForm, type ViewContext } from '../views/layout.js';
import type { MissedGroup } from './missed-log.js';

/** The missed questions, grouped. */
export function missedPage(ctx: ViewContext, groups: readonly MissedGroup[], topics: ReadonlyArray<{ id: string; label: string }>, retentionDays: number): string {
  const b = ctx.base;
  const titles = new Map(topics.map((t) => [t.id, t.label]));
  /** A topic by its title; an intent that is no topic (greetings, out of scope) is not named. */
  const topicName = (id: string): string => titles.get(id) ?? ctx.t('missed.notATopic');
  const topicSelect = (selected: string | undefined) =>
    html`<select name="topic" aria-label="${ctx.t('missed.topic')}">${topics.map((t) => html`<option value="${t.id}"${t.id === selected ? ' selected' : ''}>${t.label}</option>`)}</select>`;
  const list = groups.map(
    (g) => html`<article class="card group">
      <header><h2 dir="auto">${g.items[0]!.text}</h2>
      <p class="meta">${ctx.t('missed.count', { n: g.items.length })}${g.suggestion ? html` · ${ctx.t('missed.suggestion')}: <b>${topicName(g.suggestion)}</b>` : ''}</p></header>
      <ul class="missed">${g.items.slice(0, 20).map(
        (q) => html`<li data-id="${q.id}"><p dir="auto" lang="${q.lang ?? ''}">${q.text}</p>
          <p class="meta">${q.lang ? CONTENT_LANG_NAMES[q.lang] : '?'} · ${new Date(q.at).toISOString().slice(0, 10)}
            ${q.candidates.length
              ? html` · ${ctx.t('missed.candidates')}: ${q.candidates.map((c) => ctx.t('missed.candidate', { topic: topicName(c.intent), n: Math.round(c.confidence * 100) })).join(', ')}`
              : q.confidence !== undefined ? html` · ${ctx.t('missed.confidence', { n: Math.round(q.confidence * 100) })}` : ''}</p>
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
    <p class="help">${ctx.t('missed.confidenceHelp')}</p>
    ${groups.length === 0 ? html`<p class="empty">${ctx.t('missed.empty')}</p>` : list}`,
  );
}
