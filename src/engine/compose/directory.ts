/**
 * The organisations directory as replies show it: contact lines, entries, the emergency line,
 * the urgent block, and which organisations fit a conversation. Pure text composition.
 */
import { isTopicId, type ConversationState, type KnowledgeBase, type Lang, type Organisation, type UrgencyKind } from '../../domain/index.js';
import { describe, mainContact, organisationsOf, pickAnswer, sortedContacts, urgentOrganisations } from '../content.js';
import { langOf, tr, type View } from '../context.js';

/** Organisations listed at most by "talk to a person" and under an answer. */
export const MAX_HELPERS = 3;
/** Emergency services listed at most on the emergency line. */
const MAX_EMERGENCY_SERVICES = 4;

/** "Name (contact)", or the name alone when it already holds the contact. */
export function contactLine(org: Organisation): string {
  const c = mainContact(org);
  return c && !org.name.includes(c.value) ? `${org.name} (${c.value})` : org.name;
}

/** One organisation as a directory entry: one line on compact channels, else name, description and two contacts. */
export function orgEntry(view: View, org: Organisation): string {
  if (view.deps.capabilities.compact) return contactLine(org);
  const contacts = sortedContacts(org)
    .slice(0, 2)
    .map((c) => `${tr(view, `contact.${c.kind}`)}: ${c.value}${c.note ? ` (${c.note})` : ''}`);
  return [`*${org.name}*`, describe(org, langOf(view)), ...contacts].filter((l) => l.length > 0).join('\n');
}

/** Entries joined: a blank line between two, or a line break on compact channels. */
export function orgEntries(view: View, orgs: readonly Organisation[]): string {
  return orgs.map((o) => orgEntry(view, o)).join(view.deps.capabilities.compact ? '\n' : '\n\n');
}

/** "If you are in danger now, call: ..." with the emergency services, or undefined when there are none. */
export function emergencyLine(view: View): string | undefined {
  const services = [...view.deps.kb.organisations.values()].filter((o) => o.emergency && mainContact(o)).slice(0, MAX_EMERGENCY_SERVICES);
  if (services.length === 0) return undefined;
  return `${tr(view, 'urgent.header')} ${services.map(contactLine).join(', ')}`;
}

/** The urgent block for `kind`: a header and one line per organisation, or undefined when there is none. */
export function urgentBlock(view: View, kind: UrgencyKind): string | undefined {
  const orgs = urgentOrganisations(view.deps.kb, kind);
  if (orgs.length === 0) return undefined;
  const lines = orgs.map((o) => {
    const value = mainContact(o)?.value ?? '';
    return o.name.includes(value) ? `- ${o.name}` : `- ${o.name}: ${value}`;
  });
  return `*${tr(view, 'urgent.header')}*\n${lines.join('\n')}`;
}

/** Organisations that fit the conversation: the last topic's, then the city's, then general ones. */
export function helpersFor(kb: KnowledgeBase, state: Readonly<ConversationState>, lang: Lang): Organisation[] {
  const reachable = (o: Organisation): boolean => !o.emergency && o.contacts.length > 0;
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
