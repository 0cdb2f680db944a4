/**
 * The directory page: each organisation, its contacts with their public source, and whether a
 * person has checked them; reviewers get a button to record their check.
 */
import { isContactChecked, organisationName, type Organisation } from '../../domain/index.js';
import { hasRole, type Role } from '../auth/accounts.js';
import { html } from '../html.js';
import { page, postForm, type ViewContext } from '../views/layout.js';

/** The directory page. */
export function directoryPage(ctx: ViewContext, orgs: readonly Organisation[], role: Role): string {
  const b = ctx.base;
  const reviewer = hasRole(role, 'reviewer');
  const cards = orgs.map((o) => {
    const orgChecked = o.verified !== '' && !!o.verifiedBy;
    const contacts = o.contacts.map((c, i) => {
      const checked = isContactChecked(c);
      return html`<li data-org="${o.id}" data-contact="${String(i)}">
        <p><b dir="ltr">${c.value}</b> · ${ctx.t(`directory.kind.${c.kind}`)}${c.weak ? html` · <span class="bad">${ctx.t('directory.weak')}</span>` : ''}</p>
        <p class="meta">${c.source ? html`${ctx.t('directory.source')}: <a href="${c.source}" rel="noreferrer noopener" target="_blank" dir="ltr">${c.source}</a>` : ctx.t('directory.noSource')}</p>
        <p class="${checked ? 'good' : 'bad'}">${checked ? ctx.t('directory.checkedBy', { date: c.checked ?? '', user: c.checkedBy ?? '' }) : ctx.t('directory.notChecked')}</p>
        ${reviewer && !checked
          ? postForm(ctx, `${b}/directory/contact`, html`<input type="hidden" name="org" value="${o.id}"><input type="hidden" name="index" value="${String(i)}"><button type="submit">${ctx.t('directory.markChecked')}</button>`, {
              confirm: ctx.t('directory.confirm'),
            })
          : ''}
      </li>`;
    });
    return html`<article class="card" data-org="${o.id}">
      <header><h2>${organisationName(o, ctx.lang)}</h2>
        <p class="${orgChecked ? 'good' : 'bad'}">${orgChecked ? ctx.t('directory.checkedBy', { date: o.verified, user: o.verifiedBy ?? '' }) : ctx.t('directory.orgNotChecked')}</p>
        ${reviewer && !orgChecked
          ? postForm(ctx, `${b}/directory/organisation`, html`<input type="hidden" name="org" value="${o.id}"><button type="submit" class="secondary">${ctx.t('directory.markOrgChecked')}</button>`, {
              confirm: ctx.t('directory.confirm'),
            })
          : ''}
      </header>
      <ul class="contacts">${contacts}</ul>
    </article>`;
  });
  return page(ctx, ctx.t('directory.title'), html`<h1>${ctx.t('directory.title')}</h1><p class="lead">${ctx.t('directory.lead')}</p>${cards}`);
}
