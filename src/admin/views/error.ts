/**
 * The error page every feature shows for a refused or failed request.
 */
import { html } from '../html.js';
import type { MessageKey } from '../locales/en.js';
import { page, type ViewContext } from './layout.js';

/** An error page. */
export function errorPage(ctx: ViewContext, title: MessageKey, message: MessageKey): string {
  return page(ctx, ctx.t(title), html`<h1>${ctx.t(title)}</h1><p>${ctx.t(message)}</p><p><a href="${ctx.base}/">${ctx.t('nav.topics')}</a></p>`);
}
