/**
 * Content issues as editors read them: in the interface language (by the issue's code), placed
 * by the field they are about rather than by a line of a file they never see.
 */
import type { ContentIssue } from '../../domain/index.js';
import { html, type Html } from '../html.js';
import { issueText, isMessageKey } from '../i18n.js';
import type { MessageKey } from '../locales/en.js';
import type { ViewContext } from './layout.js';

/** Where an issue is: its field's name when known, else its line. */
export function issuePlace(ctx: ViewContext, issue: Pick<ContentIssue, 'line'>, field?: string): string {
  const key = `field.${field ?? ''}`;
  return field && isMessageKey(key) ? ctx.t(key as MessageKey) : ctx.t('review.line', { line: issue.line });
}

/** The notice of a refused publication: each issue with the file it is in (by `label`), its place and text. */
export function refusedNotice(ctx: ViewContext, issues: readonly ContentIssue[], label: (file: string) => string, lead = true): Html {
  return html`<div class="notice error" role="alert">${lead ? html`<p>${ctx.t('publish.refused')}</p>` : ''}<ul>${issues.map(
    (i) => html`<li>${label(i.file)} (${issuePlace(ctx, i)}): ${issueText(ctx.t, i)}</li>`,
  )}</ul></div>`;
}
