/**
 * The partners pages (admins only): the list of partner organisations that take cases, and the
 * form to create or change one (the organisation of the directory, topics by title, cities,
 * languages, weekly hours in Casablanca time, active).
 */
import { LANGS, organisationName, type KnowledgeBase, type Partner, type Weekday } from '../../domain/index.js';
import { html, type Html } from '../html.js';
import { CONTENT_LANG_NAMES } from '../i18n.js';
import { titleOf } from '../http/titles.js';
import type { MessageKey } from '../locales/en.js';
import { page, postForm, type ViewContext } from '../views/layout.js';
import { dayHoursText, PARTNER_TZ, WEEKDAYS, type PartnerFieldError, type PartnerInput } from './partners.js';

/** The organisation's name of a partner in the interface language (its id when the directory lost it). */
export function partnerName(kb: KnowledgeBase, partner: Pick<Partner, 'orgId' | 'id'> | undefined, lang: string, fallback = ''): string {
  if (!partner) return fallback;
  const org = kb.organisations.get(partner.orgId);
  return org ? organisationName(org, lang === 'ar' || lang === 'en' ? lang : 'fr') : partner.id;
}

/** A city's name in the interface language. */
export function cityName(kb: KnowledgeBase, id: string, lang: string): string {
  const c = kb.cities.get(id);
  return c ? (c.names[lang === 'ar' || lang === 'en' ? lang : 'fr'] ?? id) : id;
}

const dayKey = (d: Weekday): MessageKey => `day.${d}` as MessageKey;

/** The list of partners. */
export function partnersPage(ctx: ViewContext, kb: KnowledgeBase, partners: readonly Partner[]): string {
  const b = ctx.base;
  const hoursOf = (p: Partner): string =>
    WEEKDAYS.filter((d) => (p.hours.days[d] ?? []).length > 0)
      .map((d) => `${ctx.t(dayKey(d))} ${dayHoursText(p.hours, d)}`)
      .join(' · ') || ctx.t('partners.noHours');
  const cards = partners.map(
    (p) => html`<article class="card partner" data-partner="${p.id}">
      <header><h2><a href="${b}/partners/${p.id}">${partnerName(kb, p, ctx.lang)}</a></h2>
        <p class="meta"><code dir="ltr">${p.id}</code> · <span class="${p.active ? 'good' : 'bad'}">${ctx.t(p.active ? 'partners.active' : 'partners.inactive')}</span></p></header>
      <p>${ctx.t('partners.topics')}: ${p.topics.length === 0 ? ctx.t('partners.allTopics') : p.topics.map((t) => titleOf(kb, t as never, ctx.lang)).join(', ')}</p>
      <p>${ctx.t('partners.cities')}: ${p.cities.length === 0 ? ctx.t('partners.allCities') : p.cities.map((c) => cityName(kb, c, ctx.lang)).join(', ')}</p>
      <p>${ctx.t('partners.langs')}: ${p.langs.map((l) => CONTENT_LANG_NAMES[l]).join(', ')}</p>
      <p class="meta">${ctx.t('partners.hours')} (${PARTNER_TZ}): ${hoursOf(p)}</p>
    </article>`,
  );
  return page(
    ctx,
    ctx.t('partners.title'),
    html`<h1>${ctx.t('partners.title')}</h1><p class="lead">${ctx.t('partners.lead')}</p>
    <p><a class="button" href="${b}/partners/new">${ctx.t('partners.new')}</a></p>
    ${partners.length === 0 ? html`<p class="empty">${ctx.t('partners.none')}</p>` : cards}`,
  );
}

/** The form of a partner (`existing`: editing it; the id is then fixed). */
export function partnerFormPage(ctx: ViewContext, kb: KnowledgeBase, input: PartnerInput, existing: boolean, errors: readonly PartnerFieldError[] = []): string {
  const b = ctx.base;
  const errorOf = (field: string): Html | '' => {
    const e = errors.find((x) => x.field === field);
    return e ? html`<p class="field-error bad" id="err-${field}">${ctx.t(e.key, e.vars)}</p>` : '';
  };
  const bad = (field: string): string => (errors.some((x) => x.field === field) ? ' has-error' : '');
  const orgs = [...kb.organisations.values()].filter((o) => !o.emergency && !o.police).sort((x, y) => organisationName(x, 'fr').localeCompare(organisationName(y, 'fr')));
  const topics = [...kb.answers.keys()].map((t) => ({ id: t as string, title: titleOf(kb, t, ctx.lang) })).sort((x, y) => x.title.localeCompare(y.title, ctx.lang));
  const cities = [...kb.cities.keys()].map((id) => ({ id, name: cityName(kb, id, ctx.lang) })).sort((x, y) => x.name.localeCompare(y.name, ctx.lang));
  const check = (name: string, value: string, label: string, on: boolean): Html =>
    html`<label class="check"><input type="checkbox" name="${name}" value="${value}"${on ? ' checked' : ''}> <span>${label}</span></label>`;
  const title = existing ? ctx.t('partners.edit') : ctx.t('partners.new');
  const body = html`<p class="crumbs"><a href="${b}/partners">${ctx.t('partners.title')}</a></p><h1>${title}</h1>
    ${errors.length > 0 ? html`<p class="notice error" role="alert">${ctx.t('partners.fix')}</p>` : ''}
    ${postForm(
      ctx,
      existing ? `${b}/partners/${input.id}` : `${b}/partners`,
      html`<div class="${bad('id')}"><label for="p-id">${ctx.t('partners.id')}</label>
        ${existing ? html`<input type="hidden" name="id" value="${input.id}"><p><code dir="ltr">${input.id}</code></p>` : html`<input id="p-id" name="id" value="${input.id}" required pattern="[a-z0-9][a-z0-9\\-]{1,39}" autocapitalize="none" dir="ltr" aria-describedby="hint-id">`}
        <p class="hint" id="hint-id">${ctx.t('partners.idHelp')}</p>${errorOf('id')}</div>
      <div class="${bad('orgId')}"><label for="p-org">${ctx.t('partners.org')}</label>
        <select id="p-org" name="orgId" required><option value="">${ctx.t('partners.chooseOrg')}</option>${orgs.map((o) => html`<option value="${o.id}"${o.id === input.orgId ? ' selected' : ''}>${organisationName(o, ctx.lang === 'ar' || ctx.lang === 'en' ? ctx.lang : 'fr')}</option>`)}</select>${errorOf('orgId')}</div>
      <fieldset class="${bad('topics')}"><legend>${ctx.t('partners.topics')}</legend><p class="hint">${ctx.t('partners.topicsHelp')}</p>
        <div class="checks">${topics.map((t) => check('topics', t.id, t.title, input.topics.includes(t.id)))}</div>${errorOf('topics')}</fieldset>
      <fieldset class="${bad('cities')}"><legend>${ctx.t('partners.cities')}</legend><p class="hint">${ctx.t('partners.citiesHelp')}</p>
        <div class="checks">${cities.map((c) => check('cities', c.id, c.name, input.cities.includes(c.id)))}</div>${errorOf('cities')}</fieldset>
      <fieldset class="${bad('langs')}"><legend>${ctx.t('partners.langs')}</legend>
        <div class="checks">${LANGS.map((l) => check('langs', l, CONTENT_LANG_NAMES[l], input.langs.includes(l)))}</div>${errorOf('langs')}</fieldset>
      <fieldset><legend>${ctx.t('partners.hours')}</legend><p class="hint">${ctx.t('partners.hoursHelp', { tz: PARTNER_TZ })}</p>
        ${WEEKDAYS.map((d) => html`<div class="hours-row${bad(`hours_${d}`)}"><label for="h-${String(d)}">${ctx.t(dayKey(d))}</label>
          <input id="h-${String(d)}" name="hours_${String(d)}" value="${input.hours[d] ?? ''}" placeholder="09:00-12:30, 14:00-17:00" dir="ltr" inputmode="numeric">${errorOf(`hours_${d}`)}</div>`)}</fieldset>
      ${check('active', 'on', ctx.t('partners.activeHelp'), input.active)}
      <div class="actions"><button type="submit" class="primary">${ctx.t('partners.save')}</button></div>`,
      { cls: 'stack partner-form' },
    )}`;
  return page(ctx, title, body);
}
