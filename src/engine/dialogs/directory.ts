/**
 * Where to get help: organisations in the user's city (named, remembered or located), people to
 * talk to, and the emergency contacts that go first when a message is urgent.
 */
import type { GeoPoint, Organisation, UrgencyKind } from '../../domain/index.js';
import { relatedChoices } from '../compose/choices.js';
import { emergencyLine, helpersFor, orgEntries, urgentBlock } from '../compose/directory.js';
import { cityName, nearestCity, pickAnswer } from '../content.js';
import { langOf, say, settle, tr, type View } from '../context.js';
import type { Step } from '../types.js';

const MAX_LOCAL_ORGS = 6;
const MAX_NATIONAL_ORGS = 3;

/** The emergency contacts for an urgency, before anything else is said. */
export function urgent(view: View, kind: UrgencyKind): Step {
  const { view: v, state } = settle(view);
  return { ...say(v, 'urgent', urgentBlock(v, kind) ?? tr(v, 'urgent.none')), state };
}

/** "Talk to a person": the organisations that fit the conversation, then the emergency line. */
export function person(view: View): Step {
  const { view: v, state } = settle(view);
  const orgs = helpersFor(v.deps.kb, v.state, langOf(v));
  const parts: string[] = [];
  if (orgs.length > 0) parts.push(tr(v, 'person.text'), orgEntries(v, orgs));
  else parts.push(tr(v, 'person.none'));
  const emergency = emergencyLine(v);
  if (emergency) parts.push(emergency);
  return { ...say(v, 'answer', parts.join('\n\n')), state };
}

/** The directory part of find-help: local organisations first, then national ones. */
function cityDirectory(v: View, city: string, located: boolean): string {
  const { kb } = v.deps;
  const name = cityName(kb, city, langOf(v));
  // A local organisation is listed even without a contact the directory can vouch for: knowing
  // it works in the city already helps. National ones are listed only with a way to reach them.
  const orgs = [...kb.organisations.values()].filter((o) => !o.emergency);
  const local = orgs.filter((o) => o.cities.includes(city));
  const national: Organisation[] = orgs.filter((o) => o.cities.length === 0 && o.contacts.length > 0).slice(0, MAX_NATIONAL_ORGS);
  const parts: string[] = [];
  if (located) parts.push(tr(v, 'findHelp.nearest', { city: name }));
  if (local.length > 0) {
    parts.push(`*${tr(v, 'findHelp.title', { city: name })}*\n${tr(v, 'findHelp.count', { count: local.length })}`);
    parts.push(orgEntries(v, local.slice(0, MAX_LOCAL_ORGS)));
    if (national.length > 0) parts.push(`*${tr(v, 'findHelp.national')}*\n${orgEntries(v, national)}`);
  } else {
    parts.push(tr(v, 'findHelp.none', { city: name }));
    if (national.length > 0) parts.push(orgEntries(v, national));
    else {
      const emergency = emergencyLine(v);
      if (emergency) parts.push(emergency);
    }
  }
  return parts.join('\n\n');
}

/** Organisations in a city: the one named, the one nearest a location, or the one remembered; else asks for it. */
export function findHelp(view: View, cityId?: string, location?: GeoPoint): Step {
  const { kb, capabilities } = view.deps;
  const near = location ? nearestCity(kb, location) : undefined;
  const city = near?.id ?? cityId ?? view.state.city;
  const settled = settle(view);
  const state = { ...settled.state, lastTopic: 'find-help', menuPath: ['help', 'find-help'] };
  const v = { ...view, state: { ...view.state, ...state } };
  const related = relatedChoices(v, pickAnswer(kb, 'find-help', langOf(v))?.answer);
  if (!city || !kb.cities.has(city)) {
    return { ...say(v, 'notice', tr(v, capabilities.location ? 'findHelp.ask' : 'findHelp.askText'), { choices: related }), state };
  }
  return { ...say(v, 'answer', cityDirectory(v, city, near !== undefined), { choices: related }), state: { ...state, city } };
}
