/**
 * The case workers' inbox: the open cases as cards (urgent first, then the longest wait, with an
 * SLA colour), a case with its messages (each reply with its delivery state, never hidden) and
 * its actions, and the audit log. The parts that change live (`#live`) are re-fetched by
 * `cases.js` on each event; the forms stay as typed.
 */
import { contactNote, isContactChecked, organisationName, usableContacts, type AuditEntry, type CaseMessage, type CaseSummary, type KnowledgeBase, type Lang, type Partner } from '../../domain/index.js';
import { html, type Html } from '../html.js';
import { CONTENT_LANG_NAMES, isMessageKey } from '../i18n.js';
import { titleOf } from '../http/titles.js';
import type { MessageKey } from '../locales/en.js';
import { page, postForm, type ViewContext } from '../views/layout.js';
import { cityName, partnerName } from './partner-views.js';
import { PARTNER_TZ } from './partners.js';

/** Outcomes a case worker chooses from when closing (the others are set by the user or forget-me). */
export const WORKER_OUTCOMES = ['informed', 'referred', 'accompanied', 'no-answer', 'other'] as const;

/** The SLA colour of a case waiting since `since`: green under an hour, amber under four, red beyond. */
export function slaOf(since: number | undefined, now: number): 'none' | 'green' | 'amber' | 'red' {
  if (since === undefined) return 'none';
  const h = (now - since) / 3_600_000;
  return h < 1 ? 'green' : h < 4 ? 'amber' : 'red';
}

/** Open cases in the order to take them: urgent first, then the longest wait. */
export function inboxOrder(cases: readonly CaseSummary[]): CaseSummary[] {
  const wait = (c: CaseSummary): number => c.waitingSince ?? Number.MAX_SAFE_INTEGER;
  return [...cases].sort((a, b) => Number(!!b.urgency) - Number(!!a.urgency) || wait(a) - wait(b) || a.openedAt - b.openedAt);
}

/** "12 min", "2 h 05", "3 d" in the interface language. */
export function waited(ctx: ViewContext, ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return ctx.t('cases.wait.min', { n: min });
  if (min < 48 * 60) return ctx.t('cases.wait.h', { h: Math.floor(min / 60), m: String(min % 60).padStart(2, '0') });
  return ctx.t('cases.wait.d', { n: Math.floor(min / 1440) });
}

/** A time in Casablanca, in the interface language. */
export function when(ctx: ViewContext, at: number): string {
  return new Intl.DateTimeFormat(ctx.lang === 'ar' ? 'ar-MA' : ctx.lang, { timeZone: PARTNER_TZ, dateStyle: 'short', timeStyle: 'short' }).format(at);
}

const tk = (key: string): MessageKey => key as MessageKey;
const urgentFlag = (ctx: ViewContext, c: CaseSummary): Html | '' => (c.urgency ? html`<span class="flag urgent">${ctx.t('cases.urgent')}: ${ctx.t(tk(`urgency.${c.urgency}`))}</span>` : '');

/** Topic · city · language · channel of a case. */
function facts(ctx: ViewContext, kb: KnowledgeBase, c: CaseSummary): Html {
  return html`<span class="topic">${c.topic ? titleOf(kb, c.topic as never, ctx.lang) : ctx.t('cases.noTopic')}</span>
    <span class="meta">${c.city ? cityName(kb, c.city, ctx.lang) : ctx.t('cases.noCity')} · ${CONTENT_LANG_NAMES[c.lang]} · ${ctx.t(tk(`channel.${c.channel}`))}</span>`;
}

/** The cards of the open cases (the live part of the inbox). */
export function caseCards(ctx: ViewContext, kb: KnowledgeBase, cases: readonly CaseSummary[], partners: (id: string) => Partner | undefined, now: number): Html {
  if (cases.length === 0) return html`<p class="empty">${ctx.t('cases.none')}</p>`;
  const admin = ctx.user?.role === 'admin';
  return html`<ul class="cases">${inboxOrder(cases).map((c) => {
    const sla = slaOf(c.waitingSince, now);
    return html`<li class="case-card sla-${sla}${c.urgency ? ' urgent' : ''}" data-ref="${c.ref}">
      <a href="${ctx.base}/cases/${c.ref}"><span class="ref" dir="ltr">${c.ref}</span> ${urgentFlag(ctx, c)}
      ${facts(ctx, kb, c)}
      <span class="wait sla">${c.waitingSince !== undefined ? ctx.t('cases.waiting', { time: waited(ctx, now - c.waitingSince) }) : ctx.t('cases.answered')}</span>
      <span class="status">${c.claimedBy ? ctx.t('cases.claimedBy', { user: c.claimedBy }) : ctx.t('cases.status.new')}</span>
      ${admin ? html`<span class="meta">${partnerName(kb, partners(c.partnerId), ctx.lang, c.partnerId)}</span>` : ''}</a></li>`;
  })}</ul>`;
}

/** The inbox page. */
export function inboxPage(ctx: ViewContext, cards: Html): string {
  const b = ctx.base;
  return page(
    ctx,
    ctx.t('cases.title'),
    html`<h1>${ctx.t('cases.title')}</h1><p class="lead">${ctx.t('cases.lead')}</p>
    <p class="legend-sla meta"><span class="sla-dot sla-green"></span> ${ctx.t('cases.sla.green')} <span class="sla-dot sla-amber"></span> ${ctx.t('cases.sla.amber')} <span class="sla-dot sla-red"></span> ${ctx.t('cases.sla.red')}</p>
    ${ctx.user?.role === 'admin' ? html`<p><a href="${b}/cases/audit">${ctx.t('audit.title')}</a></p>` : ''}
    <p class="live-state meta" id="live-state" aria-live="polite" data-on="${ctx.t('cases.live.on')}" data-off="${ctx.t('cases.live.off')}"></p>
    <section id="live" data-events="${b}/cases/events" data-refresh="${b}/cases?part=live" data-poll="${b}/cases/state">${cards}</section>`,
    ['cases.js'],
  );
}

/** One message of a case; a worker's reply carries its delivery state. */
function messageItem(ctx: ViewContext, m: CaseMessage): Html {
  const who = m.from === 'user' ? ctx.t('cases.from.user') : m.from === 'worker' ? (m.by ?? ctx.t('cases.from.worker')) : ctx.t('cases.from.system');
  const d = m.delivery;
  const reason = d?.reason ? (isMessageKey(`delivery.reason.${d.reason}`) ? ctx.t(tk(`delivery.reason.${d.reason}`)) : d.reason) : '';
  const delivery = m.from === 'worker'
    ? html`<span class="delivery d-${d?.state ?? 'queued'}">${ctx.t(tk(`delivery.${d?.state ?? 'queued'}`))}${d?.via === 'template' ? html` · ${ctx.t('delivery.viaTemplate')}` : ''}${reason ? html`: ${reason}` : ''}</span>`
    : '';
  return html`<li class="msg from-${m.from}" data-id="${m.id}"><p class="pre" dir="auto">${m.text}</p><p class="meta">${who} · ${when(ctx, m.at)} ${delivery}</p></li>`;
}

/** The live part of a case page: its facts and its messages. */
export function caseLive(ctx: ViewContext, kb: KnowledgeBase, c: { summary: CaseSummary; messages: CaseMessage[]; callbackNumber?: string }, partner: Partner | undefined, now: number): Html {
  const s = c.summary;
  const yesNo = (v: boolean | undefined): string => (v === undefined ? ctx.t('cases.unknown') : ctx.t(v ? 'cases.yes' : 'cases.no'));
  return html`<div class="card case-head sla-${s.status === 'closed' ? 'none' : slaOf(s.waitingSince, now)}" data-status="${s.status}">
      <p>${urgentFlag(ctx, s)} <b class="status">${s.status === 'closed' ? ctx.t('cases.status.closed') : s.claimedBy ? ctx.t('cases.claimedBy', { user: s.claimedBy }) : ctx.t('cases.status.new')}</b>
      ${s.outcome ? html` · ${ctx.t(tk(`outcome.${s.outcome}`))}` : ''}</p>
      <p>${facts(ctx, kb, s)}</p>
      <dl class="facts">
        <dt>${ctx.t('cases.partner')}</dt><dd>${partnerName(kb, partner, ctx.lang, s.partnerId)}</dd>
        <dt>${ctx.t('cases.opened')}</dt><dd>${when(ctx, s.openedAt)}</dd>
        ${s.waitingSince !== undefined && s.status !== 'closed' ? html`<dt>${ctx.t('cases.waitingLabel')}</dt><dd class="sla">${waited(ctx, now - s.waitingSince)}</dd>` : ''}
        <dt>${ctx.t('cases.safe')}</dt><dd>${yesNo(s.safeToContact)}</dd>
        <dt>${ctx.t('cases.callback')}</dt><dd>${yesNo(s.callback)}${c.callbackNumber ? html` · <b dir="ltr">${c.callbackNumber}</b>` : ''}</dd>
      </dl></div>
    <h2>${ctx.t('cases.messages')}</h2>
    <ol class="messages" id="messages">${c.messages.map((m) => messageItem(ctx, m))}</ol>`;
}

/** The select that inserts an answer's short form or an organisation's contact into the reply (in the user's language). */
function insertables(ctx: ViewContext, kb: KnowledgeBase, lang: Lang, topic: string | undefined): Html {
  const answers = [...kb.answers.entries()]
    .map(([, byLang]) => byLang.get(lang))
    .filter((a) => a !== undefined && a.status !== 'draft')
    .sort((a, b) => Number(b!.topic === topic) - Number(a!.topic === topic) || a!.title.localeCompare(b!.title, lang));
  const orgs = [...kb.organisations.values()]
    .filter((o) => !o.police)
    .sort((a, b) => Number(!!topic && b.topics.includes(topic as never)) - Number(!!topic && a.topics.includes(topic as never)));
  const contacts = orgs.flatMap((o) =>
    usableContacts(o).slice(0, 2).map((c) => {
      const note = contactNote(c, lang);
      const text = `${organisationName(o, lang)}: ${c.value}${note ? ` (${note})` : ''}`;
      return html`<option value="${text}">${text}${isContactChecked(c) ? '' : ` · ${ctx.t('cases.unchecked')}`}</option>`;
    }),
  );
  return html`<label for="insert">${ctx.t('cases.insert')}</label>
    <select id="insert" data-insert-into="reply-text"><option value="">${ctx.t('cases.insertChoose', { lang: CONTENT_LANG_NAMES[lang] })}</option>
    <optgroup label="${ctx.t('cases.insertAnswers')}">${answers.map((a) => html`<option value="${`${a!.title}\n${a!.sms}`}">${a!.title}</option>`)}</optgroup>
    <optgroup label="${ctx.t('cases.insertContacts')}">${contacts}</optgroup></select>
    <p class="hint js-only">${ctx.t('cases.insertHelp')}</p>`;
}

/** The actions on an open case: claim, reply, transfer, close. */
function caseActions(ctx: ViewContext, kb: KnowledgeBase, s: CaseSummary, partners: readonly Partner[]): Html {
  const b = `${ctx.base}/cases/${s.ref}`;
  const others = partners.filter((p) => p.id !== s.partnerId && p.active);
  const mine = s.claimedBy === ctx.user?.username;
  return html`${mine ? '' : postForm(ctx, `${b}/claim`, html`<button type="submit" class="primary" id="claim">${ctx.t(s.claimedBy ? 'cases.takeOver' : 'cases.claim')}</button>`)}
    <section class="card"><h2>${ctx.t('cases.reply')}</h2>
    ${postForm(ctx, `${b}/reply`, html`${insertables(ctx, kb, s.lang, s.topic)}
      <label for="reply-text">${ctx.t('cases.replyLabel', { lang: CONTENT_LANG_NAMES[s.lang] })}</label>
      <textarea id="reply-text" name="text" rows="5" required maxlength="4000" dir="auto" lang="${s.lang}"></textarea>
      <div class="actions"><button type="submit" class="primary" id="send">${ctx.t('cases.send')}</button></div>`, { cls: 'stack' })}</section>
    <details class="card"><summary>${ctx.t('cases.transfer')}</summary>
    ${others.length === 0 ? html`<p class="empty">${ctx.t('cases.noOtherPartner')}</p>` : postForm(ctx, `${b}/transfer`, html`<label for="to">${ctx.t('cases.transferTo')}</label>
      <select id="to" name="to" required>${others.map((p) => html`<option value="${p.id}">${partnerName(kb, p, ctx.lang)}</option>`)}</select>
      <label for="reason">${ctx.t('cases.transferReason')}</label><textarea id="reason" name="reason" rows="2" required maxlength="500"></textarea>
      <p class="hint">${ctx.t('cases.transferHelp')}</p>
      <div class="actions"><button type="submit">${ctx.t('cases.transfer')}</button></div>`, { cls: 'stack' })}</details>
    <details class="card"><summary>${ctx.t('cases.close')}</summary>
    ${postForm(ctx, `${b}/close`, html`<label for="outcome">${ctx.t('cases.outcome')}</label>
      <select id="outcome" name="outcome" required>${WORKER_OUTCOMES.map((o) => html`<option value="${o}">${ctx.t(tk(`outcome.${o}`))}</option>`)}</select>
      <div class="actions"><button type="submit" class="danger" id="close-case">${ctx.t('cases.closeButton')}</button></div>`, { cls: 'stack', confirm: ctx.t('cases.closeConfirm') })}</details>`;
}

/** A case page. */
export function casePage(ctx: ViewContext, kb: KnowledgeBase, c: { summary: CaseSummary; messages: CaseMessage[]; callbackNumber?: string }, partners: readonly Partner[], now: number, error?: MessageKey): string {
  const s = c.summary;
  const b = ctx.base;
  const partner = partners.find((p) => p.id === s.partnerId);
  return page(
    ctx,
    ctx.t('cases.case', { ref: s.ref }),
    html`<p class="crumbs"><a href="${b}/cases">${ctx.t('cases.title')}</a></p><h1>${ctx.t('cases.case', { ref: s.ref })}</h1>
    ${error ? html`<p class="notice error" role="alert">${ctx.t(error)}</p>` : ''}
    <p class="live-state meta" id="live-state" aria-live="polite" data-on="${ctx.t('cases.live.on')}" data-off="${ctx.t('cases.live.off')}"></p>
    <section id="live" data-events="${b}/cases/events" data-ref="${s.ref}" data-refresh="${b}/cases/${s.ref}?part=live" data-poll="${b}/cases/state?ref=${encodeURIComponent(s.ref)}">${caseLive(ctx, kb, c, partner, now)}</section>
    ${s.status === 'closed' ? '' : caseActions(ctx, kb, s, partners)}`,
    ['cases.js'],
  );
}

/** The audit log (admins only): every read of a case by a person, and every action. */
export function auditPage(ctx: ViewContext, entries: readonly AuditEntry[], ref: string): string {
  const b = ctx.base;
  return page(
    ctx,
    ctx.t('audit.title'),
    html`<p class="crumbs"><a href="${b}/cases">${ctx.t('cases.title')}</a></p><h1>${ctx.t('audit.title')}</h1><p class="lead">${ctx.t('audit.lead')}</p>
    <form method="get" action="${b}/cases/audit" class="inline"><label for="ref">${ctx.t('audit.ref')}</label><input id="ref" name="ref" value="${ref}" dir="ltr"><button type="submit">${ctx.t('audit.filter')}</button></form>
    ${entries.length === 0 ? html`<p class="empty">${ctx.t('audit.none')}</p>` : html`<div class="scroll"><table class="audit"><thead><tr><th>${ctx.t('audit.at')}</th><th>${ctx.t('login.username')}</th><th>${ctx.t('audit.ref')}</th><th>${ctx.t('audit.action')}</th></tr></thead><tbody>
    ${entries.map((e) => html`<tr data-action="${e.action}"><td>${when(ctx, e.at)}</td><td>${e.username}</td><td dir="ltr"><a href="${b}/cases/${e.ref}">${e.ref}</a></td><td>${ctx.t(tk(`audit.action.${e.action}`))}${e.detail ? html` → <code>${e.detail}</code>` : ''}</td></tr>`)}
    </tbody></table></div>`}`,
  );
}
