/**
 * The accounts page (admins only).
 */
import type { Partner } from '../../domain/index.js';
import type { AdminUser } from '../auth/accounts.js';
import { ROLES } from '../auth/accounts.js';
import { html } from '../html.js';
import type { MessageKey } from '../locales/en.js';
import { page, postForm, type ViewContext } from '../views/layout.js';

/** Accounts (admins only); `partners`: the organisations a case worker can belong to, with their names. */
export function usersPage(ctx: ViewContext, users: readonly AdminUser[], error?: MessageKey, partners: ReadonlyArray<{ partner: Partner; name: string }> = []): string {
  const b = ctx.base;
  const partnerSelect = (selected: string | undefined, id?: string) =>
    html`<select name="partnerId"${id ? html` id="${id}"` : html` aria-label="${ctx.t('users.partner')}"`}><option value="">${ctx.t('users.noPartner')}</option>${partners.map((p) => html`<option value="${p.partner.id}"${p.partner.id === selected ? ' selected' : ''}>${p.name}</option>`)}</select>`;
  const nameOf = (id: string | undefined): string => partners.find((p) => p.partner.id === id)?.name ?? id ?? '';
  const roleSelect = (selected: string) => html`<select name="role">${ROLES.map((r) => html`<option value="${r}"${r === selected ? ' selected' : ''}>${ctx.t(`role.${r}`)}</option>`)}</select>`;
  return page(
    ctx,
    ctx.t('users.title'),
    html`<h1>${ctx.t('users.title')}</h1><p class="lead">${ctx.t('users.lead')}</p>
    ${error ? html`<p class="notice error" role="alert">${ctx.t(error)}</p>` : ''}
    <div class="scroll"><table class="users"><thead><tr><th>${ctx.t('login.username')}</th><th>${ctx.t('users.role')}</th><th>${ctx.t('users.state')}</th><th>${ctx.t('users.actions')}</th></tr></thead><tbody>
    ${users.map((u) => {
      const self = u.username === ctx.user?.username;
      return html`<tr><td>${u.username}</td><td>${ctx.t(`role.${u.role}`)}${u.role === 'caseworker' ? html`<br><span class="meta">${nameOf(u.partnerId)}</span>` : ''}</td><td>${u.disabled ? ctx.t('users.disabled') : ctx.t('users.active')}</td><td>
        ${self
          ? html`<span class="hint">${ctx.t('users.self')}</span>`
          : html`${postForm(ctx, `${b}/users/${u.username}`, html`${roleSelect(u.role)}${partnerSelect(u.partnerId)}<button type="submit" name="action" value="role">${ctx.t('users.changeRole')}</button>`)}
            ${postForm(ctx, `${b}/users/${u.username}`, html`<button type="submit" name="action" value="${u.disabled ? 'enable' : 'disable'}" class="secondary">${ctx.t(u.disabled ? 'users.enable' : 'users.disable')}</button>`)}
            ${postForm(ctx, `${b}/users/${u.username}`, html`<input type="password" name="password" autocomplete="new-password" aria-label="${ctx.t('users.newPassword')}" placeholder="${ctx.t('users.newPassword')}" minlength="10"><button type="submit" name="action" value="password" class="secondary">${ctx.t('users.setPassword')}</button>`)}`}
      </td></tr>`;
    })}</tbody></table></div>
    <section class="card"><h2>${ctx.t('users.add')}</h2>
    ${postForm(ctx, `${b}/users`, html`<label>${ctx.t('login.username')} <input name="username" required pattern="[a-z0-9][a-z0-9._\\-]{1,31}" autocapitalize="none" dir="ltr"></label>
      <label>${ctx.t('users.role')} ${roleSelect('editor')}</label>
      <label for="new-partner">${ctx.t('users.partner')}</label>${partnerSelect(undefined, 'new-partner')}<p class="hint">${ctx.t('users.partnerHelp')}</p>
      <label>${ctx.t('login.password')} <input type="password" name="password" required minlength="10" autocomplete="new-password" dir="ltr"></label>
      <button type="submit" class="primary">${ctx.t('users.create')}</button>`, { cls: 'stack' })}</section>`,
  );
}
