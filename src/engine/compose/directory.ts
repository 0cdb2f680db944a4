/**
 * The organisations directory as replies show it: contact lines, entries, the emergency line,
 * the urgent block, and which organisations fit a conversation. Pure text composition.
 */
import {
  contactLine as chosenLine,
  contactNote,
  isContactChecked,
  isTopicId,
  organisationName,
  personContacts,
  urgentContacts,
  usableContacts,
  type ConversationState,
  type KnowledgeBase,
  type Lang,
  type Organisation,
  type UrgencyKind,
} from '../../domain/index.js';
import { describe, organisationsOf, pickAnswer } from '../content.js';
import { langOf, tr, type View } from '../context.js';

/** Organisations listed at most by "talk to a person" and under an answer. */
export const MAX_HELPERS = 3;
/** Emergency services listed at most on the emergency line. */
const MAX_EMERGENCY_SERVICES = 4;

/**
 * "Name: contact (not yet checked)" in the user's language, the organisation's first usable
 * contact; the name alone when it has none to show.
 */
export function contactLine(view: View, org: Organisation): string {
  const [chosen] = personContacts([{ ...org, emergency: false, police: false }], 1);
  return chosen ? chosenLine(chosen, langOf(view), view.deps.t) : organisationName(org, langOf(view));
}

/**
 * One organisation as a directory entry: one line on compact channels, else its name,
 * description and two contacts with their notes, each marked while no reviewer has checked it.
 */
export function orgEntry(view: View, org: Organisation): string {
  if (view.deps.capabilities.compact) return contactLine(view, org);
  const lang = langOf(view);
  const contacts = usableContacts(org)
    .slice(0, 2)
    .map((c) => {
      const note = contactNote(c, lang);
      const mark = isContactChecked(c) ? '' : ` (${tr(view, 'trust.notChecked')})`;
      return `${tr(view, `contact.${c.kind}`)}: ${c.value}${note ? ` (${note})` : ''}${mark}`;
    });
  return [`*${organisationName(org, lang)}*`, describe(org, lang), ...contacts].filter((l) => l.length > 0).join('\n');
}

/** Entries joined: a blank line between two, or a line break on compact channels. */
export function orgEntries(view: View, orgs: readonly Organisation[]): string {
  return orgs.map((o) => orgEntry(view, o)).join(view.deps.capabilities.compact ? '\n' : '\n\n');
}

/**
 * "If you are in danger now, call: ..." with the emergency services (never the police: this line
 * follows "talk to a person", where an undocumented person may be asking), or undefined when there are none.
 */
export function emergencyLine(view: View): string | undefined {
  const services = [...view.deps.kb.organisations.values()]
    .filter((o) => o.emergency && !o.police && usableContacts(o).length > 0)
    .slice(0, MAX_EMERGENCY_SERVICES);
  if (services.length === 0) return undefined;
  return `${tr(view, 'urgent.header')} ${services.map((o) => contactLine(view, o)).join(', ')}`;
}

/**
 * The urgent block for `kind`: a header and one line per contact chosen for that urgency (never
 * the police for an arrest), each marked while unchecked; undefined when there is none.
 */
export function urgentBlock(view: View, kind: UrgencyKind): string | undefined {
  const chosen = urgentContacts(view.deps.kb, kind);
  if (chosen.length === 0) return undefined;
  const lines = chosen.map((c) => `- ${chosenLine(c, langOf(view), view.deps.t)}`);
  return `*${tr(view, 'urgent.header')}*\n${lines.join('\n')}`;
}

/** Organisations that fit the conversation: the last topic's, then the city's, then general ones. */
export function helpersFor(kb: KnowledgeBase, state: Readonly<ConversationState>, lang: Lang): Organisation[] {
  const reachable = (o: Organisation): boolean => !o.emergency && !o.police && usableContacts(o).length > 0;
  const all = [...kb.organisations.values()].filter(reachable);
  const topic = state.lastTopic;
  let ids: string[] = [];
  if (topic && isTopicId(topic)) {
    ids.push(...(pickAnswer(kb, topic, lang)?.answer.organisations ?? []));
    ids.push(...all.filter((o) => o.topics.includes(topic)).map((o) => o.id));
  }
  if (ids.length === 0) ids = all.filter((o) => o.topics.includes('find-help')).map((o) => o.id);
  if (ids.length === 0) ids = all.map((o) => o.id);
  let orgs = organisationsOf(kb, [...new Set(ids)]).filter(reachable);
  const city = state.city;
  if (city) {
    const rank = (o: Organisation): number => (o.cities.includes(city) ? 0 : o.cities.length === 0 ? 1 : 2);
    orgs = orgs.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
  }
  return orgs.slice(0, MAX_HELPERS);
}
