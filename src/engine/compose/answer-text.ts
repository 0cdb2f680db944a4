/**
 * An answer's text: the full form (title, "being checked", body, footer) and the short form
 * (the content's few lines and a short footer). Pure text composition.
 */
import { isReviewed, smsFooterText, type TopicAnswer } from '../../domain/index.js';
import { organisationsOf } from '../content.js';
import { langOf, tr, type View } from '../context.js';
import { longDate, shortDate } from '../dates.js';
import { contactLine, MAX_HELPERS } from './directory.js';

/** The review date as the channel shows it: numeric where every character costs. */
function reviewDate(view: View, iso: string): string {
  return view.deps.capabilities.compact ? shortDate(iso) : longDate(iso, langOf(view));
}

/** The full form of an answer: title, "being checked", body, then sources, date, disclaimer and who can help. */
export function fullAnswerText(view: View, answer: TopicAnswer): string {
  const { kb, capabilities } = view.deps;
  const parts = [`*${answer.title}*`];
  // "Checked on <date>" only when a reviewer checked it; otherwise say so plainly, up front.
  const reviewed = isReviewed(answer);
  if (!reviewed) parts.push(tr(view, 'trust.answerNotChecked'));
  parts.push(answer.body.trim());
  const footer: string[] = [];
  if (answer.sources.length > 0) {
    footer.push(tr(view, 'answer.sources', { count: answer.sources.length, list: answer.sources.map((s) => s.title).join('; ') }));
  }
  if (reviewed) footer.push(tr(view, 'answer.reviewed', { date: reviewDate(view, answer.reviewed) }));
  footer.push(tr(view, 'answer.disclaimer'));
  const helpers = organisationsOf(kb, answer.organisations)
    .filter((o) => o.contacts.length > 0)
    .slice(0, MAX_HELPERS);
  if (helpers.length > 0) footer.push(tr(view, 'answer.talkTo', { list: helpers.map((o) => contactLine(view, o)).join('; ') }));
  if (!capabilities.compact) footer.push(tr(view, 'menu.nav'));
  parts.push(footer.join('\n'));
  return parts.join('\n\n');
}

/**
 * The short form: the content's short answer (or the title) and its footer ("Checked <date>" or
 * "Not yet checked", and not legal advice), the footer `content:check` counts in the budget.
 */
export function shortAnswerText(view: View, answer: TopicAnswer): string {
  return [answer.sms.trim() || answer.title, smsFooterText(answer, langOf(view), view.deps.t)].join('\n\n');
}
