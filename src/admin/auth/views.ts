/**
 * The sign-in page.
 */
import { html } from '../html.js';
import type { MessageKey } from '../locales/en.js';
import { page, type ViewContext } from '../views/layout.js';

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
