/**
 * Routing while a referral is in progress or a case is open. During the intake, the referral's
 * buttons, numbers, yes/no, "skip" and what the user types answer its question; anything else
 * (a command, a menu button) leaves it. While the case relays, what the user writes goes to the
 * case worker, except MENU and the other commands (back to the bot), the forget-me command, the
 * words that end the case; urgent messages still get the emergency contacts first.
 */
import { isTopicId, type GeoPoint, type InboundMessage, type MatchResult, type UrgencyKind } from '../domain/index.js';
import { isCaseEnd, isSkip, parseCommand, parseYesNo } from './commands.js';
import { isAvailable } from './content.js';
import type { View } from './context.js';
import { parseNumber } from './text.js';

/** What the referral's current question is answered with. */
export type ReferralInput =
  /** A button or number: `yes`, `no`, `ok` (keep what Dalil knows), `skip`. */
  | { kind: 'choice'; value: string }
  /** Typed text, as the matcher read it (never the text itself: the state keeps no text). */
  | { kind: 'text'; topic?: string; city?: string }
  | { kind: 'location'; location: GeoPoint };

/** What the case dialogs are asked to do. */
export type CaseAction =
  | { do: 'referral'; input: ReferralInput }
  /** The user's message goes to the case worker. */
  | { do: 'case-relay' }
  /** Back to the case: what the user writes goes to the case worker again. */
  | { do: 'case-resume' }
  /** "End the case?" */
  | { do: 'case-end' }
  /** The user ends the case. */
  | { do: 'case-close' };

/** A message routed by this module. */
export interface CaseRoute {
  intent: string;
  action: CaseAction | { do: 'forget' };
  urgency?: UrgencyKind;
}

/** Actions that keep relaying to the case worker (any other turn goes back to the bot). */
export const KEEPS_RELAY: ReadonlySet<string> = new Set(['case-relay', 'case-resume', 'case-end', 'case-close', 'media', 'nothing', 'forget']);

/** What a `case:` choice asks for; undefined (stale) when the user has no open case. */
export function caseChoiceAction(view: View, value: string): CaseAction | undefined {
  if (!view.state.case) return undefined;
  if (value === 'resume') return { do: 'case-resume' };
  if (value === 'end') return { do: 'case-end' };
  if (value === 'close') return { do: 'case-close' };
  return undefined;
}

function caseRoute(action: CaseAction | undefined, intent: string): CaseRoute | undefined {
  return action ? { intent, action } : undefined;
}

/** A plain forget-me ("erase everything about me") is obeyed in a referral and in a case too. */
function forgets(m: MatchResult): boolean {
  return m.intent === 'forget-me' && m.forget !== 'confirm';
}

/** A message during the referral's intake; undefined leaves the referral for the usual routing. */
function routeReferral(view: View, msg: InboundMessage, text: string): CaseRoute | undefined {
  const step = view.state.referral?.step;
  const to = (input: ReferralInput, urgency?: UrgencyKind): CaseRoute => ({ intent: 'referral', action: { do: 'referral', input }, ...(urgency ? { urgency } : {}) });
  if (msg.choiceId) return msg.choiceId.startsWith('ref:') ? to({ kind: 'choice', value: msg.choiceId.slice(4) }) : undefined;
  if (msg.location) return step === 'city' ? to({ kind: 'location', location: msg.location }) : undefined;
  if (!text || parseCommand(text)) return undefined;
  const n = parseNumber(text);
  if (n !== undefined) {
    if (n === 0) return undefined;
    // A number off the list asks the question again (the referral is not dropped for a typo).
    const id = view.state.choices[n - 1]?.id ?? 'ref:again';
    return id.startsWith('ref:') ? to({ kind: 'choice', value: id.slice(4) }) : undefined;
  }
  if (step !== 'consent' && isSkip(text)) return to({ kind: 'choice', value: 'skip' });
  const yn = parseYesNo(text);
  if (yn) return to({ kind: 'choice', value: step === 'topic' || step === 'city' ? (yn === 'yes' ? 'ok' : 'skip') : yn });
  // Consent is a yes or a no: anything else is another question, answered as usual.
  if (step === 'consent') return undefined;
  const { kb, matcher } = view.deps;
  const m = matcher.match(text, view.state.lang);
  if (forgets(m)) return { intent: 'forget-me', action: { do: 'forget' } };
  const topic = isTopicId(m.intent) && isAvailable(kb, m.intent) ? m.intent : undefined;
  const city = m.city && kb.cities.has(m.city) ? m.city : undefined;
  return to({ kind: 'text', ...(topic ? { topic } : {}), ...(city ? { city } : {}) }, m.urgency);
}

/** A message while the case relays; undefined goes back to the bot (the usual routing). */
function routeRelay(view: View, msg: InboundMessage, text: string): CaseRoute | undefined {
  const relay: CaseRoute = { intent: 'case:relay', action: { do: 'case-relay' } };
  if (msg.choiceId || msg.location || !text) return undefined;
  const command = parseCommand(text);
  if (command === 'delete') return { intent: 'cmd:delete', action: { do: 'forget' } };
  if (command === 'person') return { intent: 'cmd:person', action: { do: 'case-resume' } };
  if (command) return undefined;
  if (view.state.awaiting === 'case-close') {
    const yn = parseYesNo(text);
    if (yn) return { intent: 'case:end', action: yn === 'yes' ? { do: 'case-close' } : { do: 'case-resume' } };
  }
  if (isCaseEnd(text)) return { intent: 'case:end', action: { do: 'case-end' } };
  const n = parseNumber(text);
  if (n === 0) return undefined;
  if (n !== undefined) {
    // Only the case's own buttons and commands are read as numbers: "2" may answer the case worker.
    const id = view.state.choices[n - 1]?.id ?? '';
    if (id.startsWith('case:')) return caseRoute(caseChoiceAction(view, id.slice(5)), 'number') ?? relay;
    if (id.startsWith('cmd:')) return undefined;
    return relay;
  }
  const m = view.deps.matcher.match(text, view.state.lang);
  if (forgets(m)) return { intent: 'forget-me', action: { do: 'forget' } };
  return m.urgency ? { ...relay, urgency: m.urgency } : relay;
}

/**
 * Routes a message of a conversation with a referral in progress or a case open; undefined when
 * the usual routing applies (the caller then leaves the referral, or the relay).
 */
export function routeCaseTurn(view: View, msg: InboundMessage, text: string): CaseRoute | undefined {
  if (msg.choiceId?.startsWith('case:')) return caseRoute(caseChoiceAction(view, msg.choiceId.slice(5)), 'choice');
  if (view.state.referral) return routeReferral(view, msg, text);
  if (view.state.case?.relay) return routeRelay(view, msg, text);
  return undefined;
}
