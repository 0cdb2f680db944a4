/**
 * What the referral to a person reads: the partner a case would go to, the organisation's name
 * the user is told, the urgency a topic carries, and the choices that lead to a person.
 */
import { isTopicId, partnerOrgName, routeCase, type Choice, type Intake, type Routing, type UrgencyKind } from '../../domain/index.js';
import { langOf, tr, type View } from '../context.js';

/** Topics whose case is urgent (arrest, detention, violence, trafficking, a child alone). */
const URGENT_TOPICS: Readonly<Partial<Record<string, UrgencyKind>>> = {
  'police-stop-arrest': 'arrest',
  'administrative-detention': 'arrest',
  'gbv-support': 'violence',
  'trafficking-victim': 'trafficking',
  'unaccompanied-minors': 'child-alone',
};

/** The urgency of a case about `topic`, if it is one of the urgent topics. */
export function urgencyOfTopic(topic: string | undefined): UrgencyKind | undefined {
  return topic ? URGENT_TOPICS[topic] : undefined;
}

/** A topic a case can be about (find-help is no subject of its own). */
export function routableTopic(topic: string | undefined): string | undefined {
  return topic && topic !== 'find-help' && isTopicId(topic) ? topic : undefined;
}

/**
 * The partner a case would go to now: by the intake's topic and city when given, else the
 * conversation's; undefined when no partner may take it (or there are none).
 */
export function routingFor(view: View, intake?: Intake): Routing | undefined {
  const partners = view.deps.partners ?? [];
  if (partners.length === 0) return undefined;
  const topic = intake ? intake.topic : routableTopic(view.state.lastTopic);
  const city = intake ? intake.city : view.state.city;
  return routeCase(partners, { ...(topic ? { topic } : {}), ...(city ? { city } : {}), lang: langOf(view) }, view.state.updatedAt);
}

/** The name of a partner's organisation in the user's language (its id when the directory lacks it). */
export function partnerName(view: View, partnerId: string): string {
  return partnerOrgName(view.deps.partners ?? [], view.deps.kb.organisations, partnerId, langOf(view));
}

/** "Talk to a person" under an answer, when a partner could take a case about it and no case is open. */
export function referralOffer(view: View): Choice | undefined {
  if (view.state.case || !routingFor(view)) return undefined;
  return { id: 'cmd:person', label: tr(view, 'referral.offer') };
}

/** "Back to my conversation with ..." on the home menu, while a case is open and the user is with the bot. */
export function resumeChoice(view: View): Choice | undefined {
  const open = view.state.case;
  if (!open || open.relay) return undefined;
  return { id: 'case:resume', label: tr(view, 'case.resume', { org: partnerName(view, open.partnerId) }) };
}
